/// Deterministic randomness: every number the simulator draws is a function of the seed and the
/// names of what it is drawn for, so the same seed gives the same companies, grades and timing.
struct SeededRandom: RandomNumberGenerator {
    private var state: UInt64

    /// A generator for `parts` under `seed`.
    init(seed: UInt64, _ parts: String...) {
        state = SeededRandom.hash(seed: seed, parts)
    }

    /// SplitMix64.
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A double in 0..<1.
    mutating func unit() -> Double {
        Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
    }

    /// One element of `items`.
    mutating func pick<T>(_ items: [T]) -> T {
        items[Int(next() % UInt64(items.count))]
    }

    /// An integer in `range`.
    mutating func int(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.count))
    }

    /// FNV-1a over the parts, separated, then mixed with the seed.
    static func hash(seed: UInt64, _ parts: [String]) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325 ^ seed
        for part in parts {
            for byte in part.utf8 {
                h ^= UInt64(byte)
                h = h &* 0x100_0000_01B3
            }
            h ^= 0xFF
            h = h &* 0x100_0000_01B3
        }
        var mixer = SeededRandomMixer(state: h)
        return mixer.next()
    }

    /// A UUID-shaped id (version 4 layout) for `parts` under `seed`.
    static func uuid(seed: UInt64, _ parts: String...) -> String {
        var g = SeededRandom(seed: seed)
        g.state = hash(seed: seed, parts)
        let a = g.next()
        let b = g.next()
        let hex = Array("0123456789abcdef")
        var out = ""
        for i in 0..<32 {
            let word = i < 16 ? a : b
            var nibble = Int((word >> UInt64((15 - i % 16) * 4)) & 0xF)
            if i == 12 { nibble = 4 }
            if i == 16 { nibble = 8 | (nibble & 3) }
            out.append(hex[nibble])
            if i == 7 || i == 11 || i == 15 || i == 19 { out.append("-") }
        }
        return out
    }
}

private struct SeededRandomMixer {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
