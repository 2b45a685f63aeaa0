import CSV
import Domain
import Foundation
import Hummingbird
import NIOCore
import Services
import Storage

/// `POST /v1/tenants/{t}/data-imports`: "start with existing data". A CSV file of
/// `measure,period,value[,note]`, all or nothing: a file with a bad row answers 422 listing
/// every bad row and why, and writes nothing.
struct DataImportRoutes {
    let backend: Backend

    /// The largest file accepted: 100 000 rows of typical width fit with room to spare.
    static let maximumBytes = 16 * 1024 * 1024
    static let mediaType = "text/csv"

    struct ImportResult: ResponseEncodable, Sendable {
        var rows: Int
        var written: Int
        var unchanged: Int
    }

    func register(on group: RouterGroup<AuthenticatedContext>) {
        group.post("/tenants/{t}/data-imports") { request, context in try await importFile(request, context) }
    }

    func importFile(_ request: Request, _ context: AuthenticatedContext) async throws -> Response {
        let tenantID = try request.uuidParameter("t", context: context)
        let principal = context.principal
        let resource = AccessGuard.scopedResource(of: principal, in: tenantID)
        let access = try await backend.accessGuard.tenant(tenantID, .enterData, resource: resource, target: "tenants/\(tenantID)/data-imports", context: context)
        guard let contentType = request.headers[.contentType], contentType.lowercased().hasPrefix(Self.mediaType) else {
            throw Problem(.unsupportedMediaType, detail: "Send the file as text/csv: measure,period,value[,note].")
        }
        let buffer = try await request.body.collect(upTo: Self.maximumBytes)
        let text = String(buffer: buffer)
        let department = AccessGuard.departmentScope(of: principal, in: tenantID)

        let result = try await backend.database.withTenantTransaction(access) { connection in
            let measures = try await backend.measures.measureNames(tenantID: tenantID, on: connection)
            let startMonth = try await backend.tenants.fiscalYearStartMonth(of: tenantID, on: connection) ?? 7
            let parsed = try DataImportParser(measures: measures, fiscalYearStartMonth: startMonth, department: department).parse(text)
            let written = try await backend.measures.write(parsed, tenantID: tenantID, by: context.userID, reason: "CSV import", on: connection)
            try await backend.audit.record(
                context.success("data.import", target: "tenants/\(tenantID)/data-imports: \(parsed.count) rows", tenantID: tenantID), on: connection
            )
            return ImportResult(rows: parsed.count, written: written, unchanged: parsed.count - written)
        }
        return try .created(result, context: context, request: request)
    }
}

/// Reads and checks a data file; every bad row is reported, with its line number.
struct DataImportParser {
    /// The tenant's measures by lower-cased name, and by id.
    let measures: [String: MeasureRecord]
    let measuresByID: [UUID: MeasureRecord]
    let fiscalYearStartMonth: Int
    /// A department head's department: rows of other departments are refused.
    let department: UUID?

    init(measures: [String: MeasureRecord], fiscalYearStartMonth: Int, department: UUID?) {
        self.measures = measures
        self.measuresByID = Dictionary(measures.values.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        self.fiscalYearStartMonth = fiscalYearStartMonth
        self.department = department
    }

    static let expectedHeader = ["measure", "period", "value"]

    func parse(_ text: String) throws -> [ImportRow] {
        let reader: CSVReader
        do {
            reader = try CSVReader(string: text, hasHeaderRow: true, trimFields: true)
        } catch {
            throw Problem.validation([.init(field: "line 1", reason: "the file is not CSV")])
        }
        let header = (reader.headerRow ?? []).map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        guard header.count >= 3, Array(header.prefix(3)) == Self.expectedHeader, header.count == 3 || (header.count == 4 && header[3] == "note") else {
            throw Problem.validation([.init(field: "line 1", reason: "the header must be measure,period,value or measure,period,value,note")])
        }
        var rows: [ImportRow] = []
        var errors: [Problem.FieldError] = []
        var seen: [String: Int] = [:]
        var line = 1
        while let fields = reader.next() {
            line += 1
            if fields.count == 1, fields[0].isEmpty { continue }
            switch check(fields, width: header.count) {
            case .failure(let error):
                errors.append(.init(field: "line \(line)", reason: error.reason))
            case .success(let row):
                let key = "\(row.measureID)|\(row.period)"
                if let first = seen[key] {
                    errors.append(.init(field: "line \(line)", reason: "repeats the measure and period of line \(first)"))
                } else {
                    seen[key] = line
                    rows.append(row)
                }
            }
        }
        if let error = reader.error {
            errors.append(.init(field: "line \(line + 1)", reason: "cannot be read as CSV (\(error))"))
        }
        guard errors.isEmpty else {
            throw Problem(
                .unprocessableContent,
                type: "https://mpmp.example/problems/invalid-import",
                title: "The file has invalid rows; nothing was imported",
                detail: "\(errors.count) row(s) are invalid; fix them and send the whole file again.",
                errors: errors
            )
        }
        guard !rows.isEmpty else {
            throw Problem.validation([.init(field: "line 2", reason: "the file has no data rows")])
        }
        return rows
    }

    struct RowError: Error {
        let reason: String
    }

    private func check(_ fields: [String], width: Int) -> Result<ImportRow, RowError> {
        guard fields.count == width else {
            return .failure(RowError(reason: "has \(fields.count) fields, not \(width)"))
        }
        let name = fields[0]
        guard let measure = measures[name.lowercased()] ?? UUID(uuidString: name).flatMap({ measuresByID[$0] }) else {
            return .failure(RowError(reason: "measure \"\(name.prefix(100))\" does not exist in this tenant"))
        }
        if let department, measure.departmentID != department {
            return .failure(RowError(reason: "measure \"\(measure.name)\" belongs to another department"))
        }
        guard let period = CivilDate(iso8601: fields[1]) else {
            return .failure(RowError(reason: "period \"\(fields[1].prefix(40))\" is not a date as YYYY-MM-DD"))
        }
        guard measure.frequency.isPeriodStart(period, fiscalYearStartMonth: fiscalYearStartMonth) else {
            return .failure(RowError(reason: "period \(period) is not the first day of a \(measure.frequency.rawValue) period"))
        }
        let valueText = fields[2]
        guard valueText.range(of: #"^-?[0-9]{1,15}(\.[0-9]{1,6})?$"#, options: .regularExpression) != nil, let value = Decimal(string: valueText) else {
            return .failure(RowError(reason: "value \"\(valueText.prefix(40))\" is not a number such as 12.5"))
        }
        let note = width == 4 ? fields[3] : ""
        guard !note.contains("\u{0}") else {
            return .failure(RowError(reason: "the note contains a NUL character"))
        }
        guard note.count <= 1000 else {
            return .failure(RowError(reason: "the note is longer than 1000 characters"))
        }
        return .success(ImportRow(measureID: measure.id, period: period, value: value, note: note))
    }
}

