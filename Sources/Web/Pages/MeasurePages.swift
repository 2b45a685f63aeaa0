import Billing
import Domain
import Foundation
import Hummingbird
import Services
import Storage

/// A measure's page: what it measures, the year's target (set here by those who edit
/// measures), status and trend, a larger chart, and the year's values in one form.
struct MeasurePages {
    let console: Console

    var services: Services { console.services }

    func register<Context: ConsoleRequestContext>(on router: Router<Context>) {
        router.get("/tenants/{t}/measures/{m}") { request, context in
            await page(request, tenant: context.parameters.get("t") ?? "", measure: context.parameters.get("m") ?? "", clientAddress: context.clientAddress)
        }
        router.post("/tenants/{t}/measures/{m}/values") { request, context in
            try await saveValues(
                request, tenant: context.parameters.get("t") ?? "", measure: context.parameters.get("m") ?? "", clientAddress: context.clientAddress,
                context: context
            )
        }
        router.post("/tenants/{t}/measures/{m}/target") { request, context in
            try await saveTarget(
                request, tenant: context.parameters.get("t") ?? "", measure: context.parameters.get("m") ?? "", clientAddress: context.clientAddress,
                context: context
            )
        }
    }

    static let directionWords: [Direction: String] = [.higherIsBetter: "Higher is better", .lowerIsBetter: "Lower is better"]

    /// A form of the page that came back with errors.
    struct Failed {
        var form: String
        var sent: Form
        var failures: [FieldError]
    }

    func page(
        _ request: Request, tenant text: String, measure measureText: String, clientAddress: String?, fiscalYear: Int? = nil, failed: Failed? = nil,
        status: HTTPResponse.Status = .ok
    ) async -> Response {
        guard let caller = console.cookies.caller(of: request, clientAddress: clientAddress, route: "GET /tenants/{t}/measures/{m}") else {
            return Pages.redirect(to: "/login")
        }
        guard let tenantID = UUID(uuidString: text), let measureID = UUID(uuidString: measureText) else {
            return console.errorPage(ServiceError.notFound, request: request)
        }
        do {
            let year = try fiscalYear ?? Pages.fiscalYear(of: request)
            let page = try await services.measures.page(caller, tenantID, measureID, fiscalYear: year)
            let measure = page.measure
            let path = "/tenants/\(tenantID.uuidString.lowercased())/measures/\(measureID.uuidString.lowercased())"
            var values: [String: Any] = [
                "definition": measure.definition.isEmpty ? "No definition yet." : measure.definition, "unit": measure.unit,
                "direction": Self.directionWords[measure.direction] ?? measure.direction.rawValue, "frequency": measure.frequency.rawValue.capitalized,
                "department": page.departmentName, "owner": page.ownerName ?? "No one yet", "fiscalYear": page.fiscalYear,
                "path": path, "wide": true,
                "dashboard": "/tenants/\(tenantID.uuidString.lowercased())/dashboard?fy=\(page.fiscalYear)",
            ]
            if page.fiscalYear > FiscalYear.supportedEndingYears.lowerBound { values["previousYear"] = page.fiscalYear - 1 }
            if page.fiscalYear < FiscalYear.supportedEndingYears.upperBound { values["nextYear"] = page.fiscalYear + 1 }
            if let row = page.row { values.merge(PerformancePages.measureValues(row)) { _, new in new } }
            let entered = Dictionary((page.row?.points ?? []).map { ($0.period, $0.value) }, uniquingKeysWith: { first, _ in first })
            var alerts: [String] = []
            var valueFields = page.periods.map { period in
                Field(
                    name: "value-\(period)", label: DataReminders.periodName(period, frequency: measure.frequency).capitalizedFirst,
                    value: failed?.form == "values" ? failed?.sent["value-\(period)"] ?? "" : entered[period]?.description ?? "",
                    autocomplete: "off", required: false
                )
            }
            var targetFields = [
                Field(
                    name: "value", label: "Target for fiscal year \(page.fiscalYear)", value: failed?.form == "target" ? failed?.sent["value"] ?? "" : page.row?.target?.description ?? "",
                    autocomplete: "off", hint: "In \(measure.unit).", idSuffix: "-target"
                ),
                Field(
                    name: "tolerance", label: "Tolerance, in percent", value: failed?.form == "target" ? failed?.sent["tolerance"] ?? "" : Self.percent(page.row?.toleranceBasisPoints),
                    autocomplete: "off", hint: "How far from the target still counts as near it; such as 5.", required: false, idSuffix: "-target"
                ),
            ]
            if let failed {
                alerts += failed.form == "values" ? Field.placing(failed.failures, on: &valueFields) : Field.placing(failed.failures, on: &targetFields)
            }
            alerts += (valueFields + targetFields).compactMap(\.error)
            if page.mayEnter { values["valueFields"] = valueFields.map(\.values) }
            if page.mayEdit { values["targetFields"] = targetFields.map(\.values) }
            values["mayEdit"] = page.mayEdit
            values["hasChart"] = page.row.map { !$0.points.isEmpty } ?? false
            values["readOnlyValues"] = !page.mayEnter
            values["periods"] = page.periods.map { ["period": DataReminders.periodName($0, frequency: measure.frequency).capitalizedFirst, "value": entered[$0]?.description ?? "—"] }
            let saved = request.uri.queryParameters["saved"].map(String.init)
            return console.page(
                "measure", title: "\(measure.name) · \(page.tenantName)", request: request, values: values, signedIn: .init(name: page.readerName),
                alerts: alerts, notice: saved == "target" ? "The target is saved." : saved.map { "Saved: \($0) value\($0 == "1" ? "" : "s") new or changed." },
                status: status
            )
        } catch {
            return console.errorPage(error, request: request)
        }
    }

    /// `500` basis points as `5`; `250` as `2.5`; `125` as `1.25`.
    static func percent(_ basisPoints: Int?) -> String {
        guard let basisPoints else { return "" }
        let whole = basisPoints / 100
        let hundredths = basisPoints % 100
        if hundredths == 0 { return "\(whole)" }
        if hundredths % 10 == 0 { return "\(whole).\(hundredths / 10)" }
        return "\(whole).\(hundredths < 10 ? "0" : "")\(hundredths)"
    }

    func saveValues(_ request: Request, tenant text: String, measure measureText: String, clientAddress: String?, context: some RequestContext) async throws -> Response {
        let form = try await Form.read(request, context: context)
        guard console.cookies.acceptsForm(request, field: form["csrf"]) else { return console.refusedForm(request, form: form) }
        guard let caller = console.cookies.caller(of: request, clientAddress: clientAddress, route: "POST /tenants/{t}/measures/{m}/values") else {
            return Pages.redirect(to: "/login")
        }
        guard let tenantID = UUID(uuidString: text), let measureID = UUID(uuidString: measureText), let year = form["fy"].flatMap({ Int($0) }) else {
            return console.errorPage(ServiceError.notFound, request: request)
        }
        var typed: [DataPointService.TypedValue] = []
        for (name, value) in form.values where name.hasPrefix("value-") {
            guard let period = CivilDate(iso8601: String(name.dropFirst("value-".count))) else { continue }
            typed.append(.init(measureID: measureID, period: period, text: value, field: name))
        }
        let path = "/tenants/\(tenantID.uuidString.lowercased())/measures/\(measureID.uuidString.lowercased())"
        do {
            let yearDay = FiscalYear.ending(year)?.lastDay ?? .latest
            let entry = try await services.dataPoints.enterTyped(caller, tenantID, typed, yearOf: yearDay, target: "tenants/\(tenantID)/measures/\(measureID)/data", reason: "Measure page")
            return Pages.redirect(to: "\(path)?fy=\(year)&saved=\(entry.written)")
        } catch ServiceError.invalid(let failures) {
            return await page(
                request, tenant: text, measure: measureText, clientAddress: clientAddress, fiscalYear: year,
                failed: Failed(form: "values", sent: form, failures: failures), status: .unprocessableContent
            )
        } catch {
            return console.errorPage(error, request: request)
        }
    }

    func saveTarget(_ request: Request, tenant text: String, measure measureText: String, clientAddress: String?, context: some RequestContext) async throws -> Response {
        let form = try await Form.read(request, context: context)
        guard console.cookies.acceptsForm(request, field: form["csrf"]) else { return console.refusedForm(request, form: form) }
        guard let caller = console.cookies.caller(of: request, clientAddress: clientAddress, route: "POST /tenants/{t}/measures/{m}/target") else {
            return Pages.redirect(to: "/login")
        }
        guard let tenantID = UUID(uuidString: text), let measureID = UUID(uuidString: measureText), let year = form["fy"].flatMap({ Int($0) }) else {
            return console.errorPage(ServiceError.notFound, request: request)
        }
        func refused(_ failures: [FieldError]) async -> Response {
            await page(
                request, tenant: text, measure: measureText, clientAddress: clientAddress, fiscalYear: year,
                failed: Failed(form: "target", sent: form, failures: failures), status: .unprocessableContent
            )
        }
        let valueText = (form["value"] ?? "").trimmingCharacters(in: .whitespaces).replacingOccurrences(of: ",", with: "")
        guard let quantity = Quantity(valueText), let value = Decimal(string: quantity.description, locale: Locale(identifier: "en_US_POSIX")) else {
            return await refused([FieldError(field: "value", reason: "must be a number, such as 12.5")])
        }
        var tolerance: Int?
        let toleranceText = (form["tolerance"] ?? "").trimmingCharacters(in: .whitespaces)
        if !toleranceText.isEmpty {
            // Percent to hundredths is the arithmetic of dollars to cents: 2.5 % is 250 basis points.
            guard let basisPoints = try? DollarAmount.cents(toleranceText), basisPoints <= 10_000 else {
                return await refused([FieldError(field: "tolerance", reason: "must be a percentage from 0 to 100, such as 5")])
            }
            tolerance = Int(basisPoints)
        }
        do {
            _ = try await services.measures.setTarget(caller, tenantID, measureID, fiscalYear: year, value: value, toleranceBasisPoints: tolerance)
            return Pages.redirect(to: "/tenants/\(tenantID.uuidString.lowercased())/measures/\(measureID.uuidString.lowercased())?fy=\(year)&saved=target")
        } catch ServiceError.invalid(let failures) {
            return await refused(failures.map { FieldError(field: $0.field == "toleranceBasisPoints" ? "tolerance" : $0.field, reason: $0.reason) })
        } catch {
            return console.errorPage(error, request: request)
        }
    }
}

extension String {
    /// `the quarter from July 2014` → `The quarter from July 2014`.
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
