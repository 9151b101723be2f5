/// Parsing and printing of the configuration's durations (`500ms`, `30s`, `15m`, `2h`, `1d`,
/// or a sum such as `1h30m`) and byte sizes (`5_000_000`, `5MB`, `512KiB`).
public enum Units {
    private static let durationUnits: [(suffix: String, nanoseconds: Int64)] = [
        ("ms", 1_000_000), ("s", 1_000_000_000), ("m", 60_000_000_000),
        ("h", 3_600_000_000_000), ("d", 86_400_000_000_000),
    ]

    /// Parses a duration such as `30s` or `1h30m`; nil when `text` is not one.
    public static func parseDuration(_ text: String) -> Duration? {
        let s = text.trimmingSpaces()
        guard !s.isEmpty else { return nil }
        var total: Int64 = 0
        var rest = Substring(s)
        while !rest.isEmpty {
            let digits = rest.prefix(while: { $0.isASCII && ($0.isNumber || $0 == "_") })
            guard !digits.isEmpty, digits.first != "_",
                  let number = Int64(digits.filter { $0 != "_" }) else { return nil }
            rest = rest.dropFirst(digits.count)
            let unitText = rest.prefix(while: { $0.isASCII && $0.isLetter })
            guard let unit = durationUnits.first(where: { $0.suffix == unitText }) else { return nil }
            rest = rest.dropFirst(unitText.count)
            let (product, overflow) = number.multipliedReportingOverflow(by: unit.nanoseconds)
            guard !overflow else { return nil }
            let (sum, overflow2) = total.addingReportingOverflow(product)
            guard !overflow2 else { return nil }
            total = sum
        }
        return .nanoseconds(total)
    }

    /// Prints a duration in the largest units that express it exactly (`90m` → `1h30m`).
    public static func format(_ duration: Duration) -> String {
        var ns = duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000
        if ns == 0 { return "0s" }
        var parts = ""
        if ns < 0 { parts = "-"; ns = -ns }
        for unit in durationUnits.reversed() where ns >= unit.nanoseconds {
            let count = ns / unit.nanoseconds
            if unit.suffix == "ms" && ns % unit.nanoseconds != 0 { break }
            parts += "\(count)\(unit.suffix)"
            ns -= count * unit.nanoseconds
        }
        if ns > 0 { parts += "\(ns)ns" }
        return parts
    }

    private static let sizeUnits: [(suffix: String, bytes: Int64)] = [
        ("B", 1), ("kB", 1_000), ("KB", 1_000), ("MB", 1_000_000), ("GB", 1_000_000_000),
        ("KiB", 1_024), ("MiB", 1_048_576), ("GiB", 1_073_741_824),
    ]

    /// Parses a size written as a string (`5MB`, `512KiB`, `5_000_000`); nil when it is not one.
    /// Integers in TOML are taken as bytes by the configuration loader directly.
    public static func parseSize(_ text: String) -> Int64? {
        let s = text.trimmingSpaces()
        let digits = s.prefix(while: { $0.isASCII && ($0.isNumber || $0 == "_" || $0 == ".") })
        guard !digits.isEmpty, digits.first?.isNumber == true else { return nil }
        let unitText = s.dropFirst(digits.count).trimmingSpaces()
        let multiplier: Int64
        if unitText.isEmpty {
            multiplier = 1
        } else if let unit = sizeUnits.first(where: { $0.suffix == unitText }) {
            multiplier = unit.bytes
        } else {
            return nil
        }
        let clean = digits.filter { $0 != "_" }
        if clean.contains(".") {
            guard let value = Double(clean), value.isFinite else { return nil }
            let bytes = value * Double(multiplier)
            guard bytes < 9e18 else { return nil }
            return Int64(bytes.rounded())
        }
        guard let value = Int64(clean) else { return nil }
        let (product, overflow) = value.multipliedReportingOverflow(by: multiplier)
        return overflow ? nil : product
    }
}

extension StringProtocol {
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s = s.dropFirst() }
        while let l = s.last, l.isWhitespace { s = s.dropLast() }
        return String(s)
    }
}
