import DeepSearch
import FoundationEssentials

#if canImport(Glibc)
import Glibc
#endif

/// "3 min ago", "2 h ago", "yesterday", or a date.
public enum RelativeTime {
    public static func describe(_ date: Date?, now: Date) -> String {
        guard let date else { return "unknown" }
        let seconds = now.timeIntervalSince(date)
        if seconds < -60 { return "in the future" }
        if seconds < 10 { return "just now" }
        if seconds < 60 { return "\(Int(seconds)) s ago" }
        if seconds < 3600 { return "\(Int(seconds / 60)) min ago" }
        if seconds < 86_400 { return "\(Int(seconds / 3600)) h ago" }
        if seconds < 2 * 86_400 { return "yesterday" }
        if seconds < 30 * 86_400 { return "\(Int(seconds / 86_400)) days ago" }
        return String(DeepSearchDate.day(date))
    }
}

enum DeepSearchDate {
    /// `YYYY-MM-DD` in UTC.
    static func day(_ date: Date) -> Substring {
        Timestamp(date: date).text.prefix(10)
    }
}
