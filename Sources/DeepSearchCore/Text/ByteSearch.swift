/// Finding a run of bytes in bytes: the token in a line of output, a line end in an answer.
package enum ByteSearch {
    /// Where `needle` first begins in `haystack` at or after `start`; nil if it does not occur.
    package static func firstIndex(of needle: UnsafeBufferPointer<UInt8>, in haystack: UnsafeBufferPointer<UInt8>, from start: Int = 0) -> Int? {
        guard let first = needle.first, haystack.count >= needle.count, start <= haystack.count - needle.count else { return nil }
        let last = haystack.count - needle.count
        var i = max(0, start)
        while i <= last {
            if haystack[i] == first {
                var j = 1
                while j < needle.count && haystack[i + j] == needle[j] { j += 1 }
                if j == needle.count { return i }
            }
            i += 1
        }
        return nil
    }

    /// Where `needle` first begins in `haystack` at or after `start`.
    package static func firstIndex(of needle: [UInt8], in haystack: [UInt8], from start: Int = 0) -> Int? {
        needle.withUnsafeBufferPointer { n in haystack.withUnsafeBufferPointer { h in firstIndex(of: n, in: h, from: start) } }
    }
}
