/// The data-completeness grid of a fiscal year (DESIGN §11, an analyst's screen): a row
/// per measure, a column per month, and in each cell whether a value is there, missing,
/// not yet due, or not asked for (a quarterly or yearly measure's months between periods).
public enum Completeness {
    public enum Cell: String, Sendable, Hashable {
        /// The period has a value.
        case filled
        /// The period has ended and has no value.
        case missing
        /// The period has not ended yet: its value cannot be in.
        case notYetDue = "not_yet_due"
        /// No period of this measure starts in this month.
        case notAPeriod = "not_a_period"
    }

    /// The twelve months of `year`, each named by its first day (a fiscal year starting on
    /// the first of its month, as every jurisdiction here does).
    public static func months(of year: FiscalYear) -> [CivilDate] {
        let first = year.firstDay
        let start = first.year * 12 + (first.month - 1)
        return (0..<12).compactMap { offset in
            CivilDate(year: (start + offset) / 12, month: (start + offset) % 12 + 1, day: 1)
        }
    }

    /// The cell of `month` for a measure of `frequency` whose periods with a value are
    /// `filled`, seen on `today`. A period is due once it has ended: the day after its
    /// last day (the first of the next period) is on or before `today`.
    public static func cell(
        month: CivilDate, frequency: Frequency, filled: Set<CivilDate>, today: CivilDate, fiscalYearStartMonth: Int
    ) -> Cell {
        guard frequency.isPeriodStart(month, fiscalYearStartMonth: fiscalYearStartMonth) else { return .notAPeriod }
        if filled.contains(month) { return .filled }
        guard let end = frequency.checkedNextPeriod(after: month), end <= today else { return .notYetDue }
        return .missing
    }

    /// How complete a row or a grid is: cells filled out of cells due or filled.
    public static func share(_ cells: some Sequence<Cell>) -> (filled: Int, expected: Int) {
        var filled = 0
        var expected = 0
        for cell in cells {
            switch cell {
            case .filled:
                filled += 1
                expected += 1
            case .missing: expected += 1
            case .notYetDue, .notAPeriod: break
            }
        }
        return (filled, expected)
    }
}
