import Domain
import Foundation
import Spreadsheets
import Storage

/// The workbook a town fills and sends back: the wide layout (a row per measure the caller
/// enters data for, a column per month of the fiscal year), the values already entered
/// filled in; and the dashboard as a workbook. One transaction each.
extension DataImportService {
    public func template(_ caller: Caller, _ tenantID: UUID, fiscalYear requested: Int?) async throws -> (fiscalYear: Int, sheet: WorkbookSheet) {
        if let requested, !FiscalYear.supportedEndingYears.contains(requested) {
            throw ServiceError.malformed(field: "fy", reason: "must be a fiscal year from 1901 to 2199")
        }
        let target = "tenants/\(tenantID)/data-imports/template"
        return try await services.inTenant(caller, tenantID, .readTenantProfile, target: target) { work in
            try work.authorize(.enterData, on: work.scopedResource(in: tenantID), target: target)
            let year = FiscalYear(
                endingYear: requested ?? FiscalYear.containing(work.today, startMonth: work.fiscalYearStartMonth).endingYear, startMonth: work.fiscalYearStartMonth
            )
            let rows = try await work.stores.measures.yearRows(
                tenantIDs: [tenantID], departmentID: work.departmentScope(in: tenantID), fiscalYear: year, on: work.connection
            )
            let months = Completeness.months(of: year)
            var sheetRows: [[WorkbookSheet.Cell]] = [[.text("Measure")] + months.map { .month($0) } + [.text("Unit"), .text("Frequency")]]
            for row in rows.sorted(by: { $0.measure.name < $1.measure.name }) {
                let values = Dictionary(row.points.map { ($0.period, $0.value) }, uniquingKeysWith: { first, _ in first })
                sheetRows.append(
                    [.text(row.measure.name)] + months.map { month in values[month].map { .number($0.description) } ?? .empty }
                        + [.text(row.measure.unit), .text(row.measure.frequency.rawValue)]
                )
            }
            let sheet = WorkbookSheet(name: "FY\(year.endingYear)", widths: [36] + months.map { _ in 11 } + [12, 11], rows: sheetRows)
            return (year.endingYear, sheet)
        }
    }
}
