/// Arithmetic on numbers that come from people or from the API, which may be anything an `Int`
/// holds: the result is held at the bounds instead of trapping the process.
extension Int {
    /// `self + other`, held at `Int.min` or `Int.max`.
    public func saturatingAdd(_ other: Int) -> Int {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? (other > 0 ? .max : .min) : sum
    }

    /// `self - other`, held at `Int.min` or `Int.max`.
    public func saturatingSubtract(_ other: Int) -> Int {
        let (difference, overflow) = subtractingReportingOverflow(other)
        return overflow ? (other < 0 ? .max : .min) : difference
    }

    /// The whole part of `value`, held at `Int.min` or `Int.max`; 0 for NaN.
    public init(clamping value: Double) {
        if value.isNaN {
            self = 0
        } else if value >= 9.223_372_036_854_775e18 {
            self = .max
        } else if value <= -9.223_372_036_854_775e18 {
            self = .min
        } else {
            self = Int(value)
        }
    }

    /// `part` as a whole percentage of `whole` (rounded down), held in Int's range; 0 when
    /// `whole` is not positive.
    public static func percentage(_ part: Int, of whole: Int) -> Int {
        guard whole > 0 else { return 0 }
        return Int(clamping: (Double(part) / Double(whole) * 100).rounded(.down))
    }
}
