import Domain
import Foundation
import Spreadsheets
import Storage

/// "Start with existing data": a file of `measure,period,value[,note]`, imported all or
/// nothing. A file with a bad row writes nothing and names every bad row and why.
public struct DataImportService: Sendable {
    let services: Services

    /// The media types of the files this service reads.
    public static let csvMediaType = "text/csv"
    public static let workbookMediaType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    /// A file as it arrived: its declared media type and its bytes.
    public struct Upload: Sendable {
        public var mediaType: String?
        public var bytes: [UInt8]
        /// A workbook's sheet to read, by name; the first visible one when nil.
        public var sheet: String?

        public init(mediaType: String?, bytes: [UInt8], sheet: String? = nil) {
            self.mediaType = mediaType
            self.bytes = bytes
            self.sheet = sheet
        }
    }

    public struct Imported: Sendable, Hashable {
        /// Data rows in the file.
        public var rows: Int
        /// Rows whose value was new or changed.
        public var written: Int
        /// Rows whose value and note were already stored.
        public var unchanged: Int
    }

    /// Why a file was refused as a whole, beyond what `ServiceError` words.
    public enum Refusal: Error, Sendable, Hashable {
        /// The file is not in a format this service reads.
        case unsupportedFormat(String)
        /// Rows of the file are invalid (each named `line N`, or by its cell); nothing was imported.
        case invalidRows([FieldError])
        /// A workbook too large to read (a zip bomb among them); nothing was read.
        case tooLarge(String)
    }

    /// Imports `upload` into the tenant's measures (a department head's: their
    /// department's only) in one transaction and one set-based write.
    public func importFile(_ caller: Caller, _ tenantID: UUID, _ upload: Upload) async throws -> Imported {
        let target = "tenants/\(tenantID)/data-imports"
        return try await services.run(caller, scope: .tenant(tenantID)) { work in
            guard work.session.tenantVisible else {
                throw work.denial(.notFound, action: .enterData, target: target, tenantID: nil)
            }
            try work.authorize(.enterData, on: work.scopedResource(in: tenantID), target: target)
            let mediaType = upload.mediaType?.lowercased() ?? ""
            let workbook = mediaType.hasPrefix(Self.workbookMediaType)
            guard workbook || mediaType.hasPrefix(Self.csvMediaType) else {
                throw Refusal.unsupportedFormat("Send the file as text/csv (measure,period,value[,note]) or as an Excel workbook (\(Self.workbookMediaType)).")
            }
            let measures = try await work.stores.measures.measureNames(tenantID: tenantID, on: work.connection)
            let parser = DataImportParser(
                measures: measures, fiscalYearStartMonth: work.fiscalYearStartMonth, department: work.departmentScope(in: tenantID)
            )
            let rows = try workbook ? Self.workbookRows(upload, parser: parser) : parser.parse(upload.bytes)
            let written = try await work.stores.measures.write(rows, tenantID: tenantID, by: work.userID, reason: "CSV import", on: work.connection)
            try await work.audit("data.import", target: "\(target): \(rows.count) rows", tenantID: tenantID)
            return Imported(rows: rows.count, written: written, unchanged: rows.count - written)
        }
    }
}

extension DataImportService {
    /// The rows of a workbook's sheet; a workbook that cannot be read is refused as a whole.
    static func workbookRows(_ upload: Upload, parser: DataImportParser) throws -> [ImportRow] {
        let sheet: SpreadsheetSheet
        do throws(SpreadsheetRefusal) {
            sheet = try XLSXReader.sheet(from: upload.bytes, named: upload.sheet)
        } catch {
            switch error {
            case .tooLarge: throw Refusal.tooLarge(error.description)
            case .noSuchSheet: throw ServiceError.invalid("sheet", error.description)
            case .notAWorkbook, .unreadable: throw ServiceError.invalid("file", error.description)
            }
        }
        return try SheetImport(sheet: sheet).collect(into: parser)
    }
}

extension Services {
    public var dataImports: DataImportService { DataImportService(services: self) }
}
