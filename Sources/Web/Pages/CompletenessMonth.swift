import Domain
import Foundation
import Hummingbird
import Services

/// A month of the completeness grid as one form: a field per measure with a period that
/// starts that month, filled with the value there is; saved together, all or nothing.
extension CompletenessPages {
    func monthForm(
        _ request: Request, tenant text: String, period periodText: String, clientAddress: String?, sent: Form? = nil,
        failures: [FieldError] = [], status: HTTPResponse.Status = .ok
    ) async -> Response {
        guard let caller = console.cookies.caller(of: request, clientAddress: clientAddress, route: "GET /tenants/{t}/completeness/{period}") else {
            return Pages.redirect(to: "/login")
        }
        guard let tenantID = UUID(uuidString: text), let month = CivilDate(iso8601: periodText), month.day == 1,
            CivilDate.supportedRange.contains(month)
        else {
            return console.errorPage(ServiceError.notFound("There is no such month."), request: request)
        }
        do {
            let grid = try await services.dataPoints.completeness(caller, tenantID, fiscalYear: nil, containing: month)
            guard grid.mayEnter else { throw ServiceError.forbidden("You may read these values but not enter them.") }
            guard let index = grid.months.firstIndex(of: month) else { throw ServiceError.notFound("There is no such month.") }
            var fields: [Field] = []
            for row in grid.rows where row.cells[index] != .notAPeriod {
                let name = "value-\(row.measureID.uuidString.lowercased())"
                let state = row.cells[index] == .filled ? "Entered; change it if it was wrong." : (Self.cellWords[row.cells[index]] ?? "") + "."
                fields.append(
                    Field(
                        name: name, label: "\(row.name) (\(row.unit))", value: sent?[name] ?? row.values[month]?.description ?? "",
                        autocomplete: "off", hint: "\(row.department). \(state)", required: false
                    )
                )
            }
            let general = Field.placing(failures, on: &fields)
            let tenant = tenantID.uuidString.lowercased()
            let monthName = DataReminders.periodName(month, frequency: .monthly)
            return console.formPage(
                title: "\(grid.tenantName): values for \(monthName)", request: request, action: "/tenants/\(tenant)/completeness/\(month)", fields: fields,
                submit: "Save \(monthName)",
                intro: fields.isEmpty
                    ? "No measure you enter has a period starting in \(monthName)."
                    : "Leave a field empty to leave it as it is. Numbers only, such as 12.5; all are saved together or none.",
                links: [("Back to the grid", "/tenants/\(tenant)/completeness?fy=\(grid.fiscalYear)")], signedIn: .init(name: grid.readerName),
                alerts: general + fields.compactMap(\.error), status: status
            )
        } catch {
            return console.errorPage(error, request: request)
        }
    }

    func saveMonth(
        _ request: Request, tenant text: String, period periodText: String, clientAddress: String?, context: some RequestContext
    ) async throws -> Response {
        let form = try await Form.read(request, context: context)
        guard console.cookies.acceptsForm(request, field: form["csrf"]) else { return console.refusedForm(request, form: form) }
        guard let caller = console.cookies.caller(of: request, clientAddress: clientAddress, route: "POST /tenants/{t}/completeness/{period}") else {
            return Pages.redirect(to: "/login")
        }
        guard let tenantID = UUID(uuidString: text), let month = CivilDate(iso8601: periodText) else {
            return console.errorPage(ServiceError.notFound("There is no such month."), request: request)
        }
        var values: [UUID: String] = [:]
        for (name, value) in form.values where name.hasPrefix("value-") {
            guard let id = UUID(uuidString: String(name.dropFirst("value-".count))) else { continue }
            values[id] = value
        }
        do {
            let entry = try await services.dataPoints.enterPeriod(caller, tenantID, period: month, values: values)
            return Pages.redirect(to: "/tenants/\(tenantID.uuidString.lowercased())/completeness?fy=\(entry.fiscalYear)&saved=\(entry.written)")
        } catch ServiceError.invalid(let failures) {
            return await monthForm(
                request, tenant: text, period: periodText, clientAddress: clientAddress, sent: form, failures: failures, status: .unprocessableContent
            )
        } catch {
            return console.errorPage(error, request: request)
        }
    }
}
