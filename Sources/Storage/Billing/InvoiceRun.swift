import Billing
import Domain
import Logging
import PostgresNIO

/// An invoice run of one program year, as the API and the command line start it.
public struct InvoiceRun: Sendable {
    public enum Failure: Error, Equatable, CustomStringConvertible {
        case unknownProgramYear(program: String, fiscalYear: Int)
        case noFeeSchedule(program: String, fiscalYear: Int)

        public var description: String {
            switch self {
            case .unknownProgramYear(let program, let year): "there is no program year \(program) FY\(year)"
            case .noFeeSchedule(let program, let year): "program year \(program) FY\(year) has no fee schedule yet"
            }
        }
    }

    public let programs: ProgramStore
    public let invoices: InvoiceStore

    public init(logger: Logger) {
        self.programs = ProgramStore(logger: logger)
        self.invoices = InvoiceStore(logger: logger)
    }

    /// Creates the missing drafts; run it in a Center-scope transaction.
    /// - Returns: the number of drafts created.
    public func run(program: String, fiscalYear year: Int, on connection: PostgresConnection) async throws -> Int {
        guard try await programs.year(program: program, fiscalYear: year, on: connection) != nil,
            let fiscalYear = try await programs.fiscalYear(program: program, endingYear: year, on: connection)
        else { throw Failure.unknownProgramYear(program: program, fiscalYear: year) }
        guard let schedule = try await programs.feeSchedule(program: program, fiscalYear: year, on: connection) else {
            throw Failure.noFeeSchedule(program: program, fiscalYear: year)
        }
        return try await invoices.run(program: program, fiscalYear: fiscalYear, schedule: schedule, on: connection)
    }
}
