/// The version of extruct-shell and extruct-sim: the one place it is written. `--version`, the
/// `User-Agent`, recordings, the man pages and the Debian package all take it from here
/// (scripts read it from the built binary's `--version`).
public enum ProductVersion {
    /// Semantic version of this release.
    public static let current = "0.2.0"
    /// The day this version was cut, `YYYY-MM-DD` (the man pages' date).
    public static let date = "2026-12-01"
}
