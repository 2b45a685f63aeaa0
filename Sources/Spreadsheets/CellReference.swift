/// A cell's address as spreadsheets write it: `C7` is column 3, row 7.
public struct CellReference: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var row: Int
    public var column: Int

    public init(row: Int, column: Int) {
        self.row = row
        self.column = column
    }

    /// Reads `C7`, `AA10` (columns up to XFD, 16,384; rows up to 1,048,576, the format's
    /// own limits); nil for anything else.
    public init?(_ text: some StringProtocol) {
        var column = 0
        var row = 0
        var letters = 0
        var digits = 0
        for scalar in text.unicodeScalars {
            if ("A"..."Z").contains(scalar), digits == 0 {
                column = column * 26 + Int(scalar.value - 64)
                letters += 1
            } else if ("0"..."9").contains(scalar), letters > 0 {
                row = row * 10 + Int(scalar.value - 48)
                digits += 1
            } else {
                return nil
            }
            guard letters <= 3, digits <= 7 else { return nil }
        }
        guard letters > 0, digits > 0, (1...16_384).contains(column), (1...1_048_576).contains(row) else { return nil }
        self.init(row: row, column: column)
    }

    /// `C` for column 3, `AA` for 27.
    public static func columnName(_ column: Int) -> String {
        var name = ""
        var rest = max(column, 1)
        while rest > 0 {
            let remainder = (rest - 1) % 26
            name = String(UnicodeScalar(UInt8(65 + remainder))) + name
            rest = (rest - 1) / 26
        }
        return name
    }

    public var description: String { "\(Self.columnName(column))\(row)" }

    public static func < (lhs: CellReference, rhs: CellReference) -> Bool {
        (lhs.row, lhs.column) < (rhs.row, rhs.column)
    }
}
