import Foundation
import Hummingbird
import NIOCore
import Services
import Spreadsheets

/// `POST /v1/tenants/{t}/data-imports`: "start with existing data". A CSV file of
/// `measure,period,value[,note]`, or an Excel workbook's sheet in that layout or the wide
/// one (a row per measure, a column per month), all or nothing: a file with a bad row answers 422 listing
/// every bad row and why, and writes nothing.
struct DataImportRoutes {
    let services: Services

    /// The largest file accepted: 100 000 rows of typical width fit with room to spare.
    static let maximumBytes = 16 * 1024 * 1024

    struct ImportResult: ResponseEncodable, Sendable {
        var rows: Int
        var written: Int
        var unchanged: Int
    }

    func register(on group: RouterGroup<SignedInContext>) {
        group.get("/tenants/{t}/data-imports/template") { request, context in
            let tenantID = try request.uuidParameter("t", context: context)
            var year: Int?
            if let text = request.uri.queryParameters["fy"] {
                guard let number = Int(String(text)) else { throw Problem.badRequest(field: "fy", reason: "must be a fiscal year from 1901 to 2199") }
                year = number
            }
            let template = try await services.dataImports.template(context.caller, tenantID, fiscalYear: year)
            let bytes = try XLSXWriter.workbook([template.sheet])
            return Response(
                status: .ok,
                headers: [
                    .contentType: XLSXWriter.mediaType,
                    .contentDisposition: "attachment; filename=\"import-template-fy\(template.fiscalYear).xlsx\"",
                ],
                body: .init(byteBuffer: ByteBuffer(bytes: bytes))
            )
        }
        group.post("/tenants/{t}/data-imports") { request, context in
            let tenantID = try request.uuidParameter("t", context: context)
            // The whole file is read before the transaction opens: a slow upload must not
            // hold a database connection.
            let buffer = try await request.body.collect(upTo: Self.maximumBytes)
            let sheet = request.uri.queryParameters["sheet"].map(String.init)
            if let sheet, !(1...31).contains(sheet.count) {
                throw Problem.badRequest(field: "sheet", reason: "must be a sheet's name, 1 to 31 characters")
            }
            let upload = DataImportService.Upload(mediaType: request.headers[.contentType], bytes: Array(buffer.readableBytesView), sheet: sheet)
            let imported: DataImportService.Imported
            do {
                imported = try await services.dataImports.importFile(context.caller, tenantID, upload)
            } catch let refusal as DataImportService.Refusal {
                throw Problem(refusal)
            }
            let result = ImportResult(rows: imported.rows, written: imported.written, unchanged: imported.unchanged)
            return try Response.created(result, context: context, request: request)
        }
    }
}

extension Problem {
    /// A refused file: 415 for another format, 422 naming every bad row.
    init(_ refusal: DataImportService.Refusal) {
        switch refusal {
        case .unsupportedFormat(let detail):
            self = Problem(.unsupportedMediaType, detail: detail)
        case .tooLarge(let detail):
            self = Problem(.contentTooLarge, detail: "Nothing was imported: \(detail).")
        case .invalidRows(let rows):
            self = Problem(
                .unprocessableContent,
                type: "https://mpmp.example/problems/invalid-import",
                title: "The file has invalid rows; nothing was imported",
                detail: "\(rows.count) row(s) are invalid; fix them and send the whole file again.",
                errors: rows.map { FieldError(field: $0.field, reason: $0.reason) }
            )
        }
    }
}
