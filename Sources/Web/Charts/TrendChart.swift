import Domain
import Foundation

/// A measure's trend as a small SVG line against its target and tolerance band (DESIGN
/// §11), drawn in Swift as numbers the template places into attributes: no markup is
/// built here, so every value stays escaped. The chart has a text alternative (`title`)
/// and the values beside it in a table.
struct TrendChart {
    static let width = 160.0
    static let height = 44.0
    static let padding = 4.0

    /// `polyline` points, `x,y x,y …`.
    var points: String
    /// The last value's dot.
    var last: (x: String, y: String)?
    /// The target's line, when there is a target.
    var targetY: String?
    /// The tolerance band on the target's worse side (yellow's range).
    var band: (y: String, height: String)?
    /// What the chart shows, in words.
    var title: String

    init(name: String, unit: String, values: [PeriodValue], target: Quantity?, toleranceBasisPoints: Int?, direction: Direction) {
        let numbers = values.map { Double($0.value.description) ?? 0 }
        let targetValue = target.flatMap { Double($0.description) }
        var bandEdge: Double?
        if let targetValue {
            let tolerance = abs(targetValue) * Double(toleranceBasisPoints ?? Evaluation.defaultToleranceBasisPoints) / 10_000
            bandEdge = direction == .lowerIsBetter ? targetValue + tolerance : targetValue - tolerance
        }
        let all = numbers + [targetValue, bandEdge].compactMap { $0 }
        let low = all.min() ?? 0
        let high = all.max() ?? 1
        let span = high - low == 0 ? 1 : high - low
        func y(_ value: Double) -> Double {
            Self.padding + (high - value) / span * (Self.height - 2 * Self.padding)
        }
        func x(_ index: Int) -> Double {
            numbers.count < 2 ? Self.width / 2 : Self.padding + Double(index) * (Self.width - 2 * Self.padding) / Double(numbers.count - 1)
        }
        func text(_ number: Double) -> String { String(format: "%.1f", number) }
        points = numbers.enumerated().map { "\(text(x($0.offset))),\(text(y($0.element)))" }.joined(separator: " ")
        last = numbers.last.map { (text(x(numbers.count - 1)), text(y($0))) }
        targetY = targetValue.map { text(y($0)) }
        if let targetValue, let bandEdge {
            let top = min(y(targetValue), y(bandEdge))
            band = (text(top), text(abs(y(targetValue) - y(bandEdge))))
        }
        var words = "\(name): "
        if let first = values.first, let final = values.last, values.count > 1 {
            words += "from \(first.value) \(unit) (\(first.period)) to \(final.value) \(unit) (\(final.period))"
        } else if let final = values.last {
            words += "one value, \(final.value) \(unit) (\(final.period))"
        } else {
            words += "no values yet"
        }
        if let target { words += "; target \(target) \(unit), \(direction == .lowerIsBetter ? "lower" : "higher") is better" }
        title = words + "."
    }

    /// The template's values.
    var values: [String: Any] {
        var values: [String: Any] = ["points": points, "chartTitle": title]
        if let last { values["last"] = ["x": last.x, "y": last.y] }
        if let targetY { values["targetY"] = targetY }
        if let band { values["band"] = ["y": band.y, "height": band.height] }
        return values
    }
}
