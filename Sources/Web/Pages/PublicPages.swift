import Crypto
import Domain
import Foundation
import Hummingbird
import Logging
import NIOCore
import Services
import Storage

/// A town's public performance page, `/public/{slug}` (DESIGN §11): no sign-in, published
/// measures only, cacheable (an `ETag` from the page's bytes; a matching `If-None-Match`
/// gets 304), with its CSV; and the CEO's settings of it.
struct PublicPages {
    let console: Console

    var services: Services { console.services }

    func register<Context: ConsoleRequestContext>(on router: Router<Context>) {
        router.get("/public/{slug}") { request, context in
            await page(request, slug: context.parameters.get("slug") ?? "")
        }
        router.get("/public/{slug}/data.csv") { request, context in
            await csv(request, slug: context.parameters.get("slug") ?? "")
        }
        router.get("/tenants/{t}/public-page") { request, context in
            await settings(request, tenant: context.parameters.get("t") ?? "", clientAddress: context.clientAddress)
        }
        router.post("/tenants/{t}/public-page") { request, context in
            try await save(request, tenant: context.parameters.get("t") ?? "", clientAddress: context.clientAddress, context: context)
        }
    }

    static let publicMaxAge = 300

    func page(_ request: Request, slug: String) async -> Response {
        do {
            let page = try await services.publicPages.page(slug: slug, fiscalYear: try Pages.fiscalYear(of: request))
            var values: [String: Any] = [
                "title": "\(page.tenantName): performance", "tenant": page.tenantName, "fiscalYear": page.fiscalYear, "slug": slug,
                "measureCount": page.rows.count, "hasMeasures": !page.rows.isEmpty, "wide": true,
                "departments": PerformancePages.sections(page.rows, departmentNames: page.departmentNames),
            ]
            let years = FiscalYear.supportedEndingYears
            if page.fiscalYear > years.lowerBound { values["previousYear"] = page.fiscalYear - 1 }
            if page.fiscalYear < years.upperBound { values["nextYear"] = page.fiscalYear + 1 }
            if let updated = page.lastUpdated { values["lastUpdated"] = CivilDate(updated).description }
            guard let html = console.pages.html("public", values) else {
                return console.pages.render("public", values)  // the missing template's 500
            }
            return Self.cacheable(html, headers: [.contentType: "text/html; charset=utf-8"], request: request)
        } catch {
            return publicError(error)
        }
    }

    func csv(_ request: Request, slug: String) async -> Response {
        do {
            let page = try await services.publicPages.page(slug: slug, fiscalYear: try Pages.fiscalYear(of: request))
            var lines = [CSVField.line(["department", "measure", "unit", "latest period", "latest value", "target", "status", "trend"])]
            for row in page.rows.sorted(by: { ((page.departmentNames[$0.measure.departmentID] ?? ""), $0.measure.name) < ((page.departmentNames[$1.measure.departmentID] ?? ""), $1.measure.name) }) {
                lines.append(
                    CSVField.line([
                        page.departmentNames[row.measure.departmentID] ?? "", row.measure.name, row.measure.unit,
                        row.evaluation.latestPeriod?.description ?? "", row.latest?.description ?? "", row.target?.description ?? "",
                        row.status.rawValue, row.trend.rawValue,
                    ])
                )
            }
            return Self.cacheable(
                lines.joined(separator: "\r\n") + "\r\n",
                headers: [.contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"\(slug)-fy\(page.fiscalYear).csv\""],
                request: request
            )
        } catch {
            return publicError(error)
        }
    }

    /// The answer to a public page that cannot be shown: a page in words, and no cookie
    /// (nobody signs in here, and a cache must not keep one).
    func publicError(_ error: any Error) -> Response {
        let (status, title, paragraph): (HTTPResponse.Status, String, String) =
            switch error as? ServiceError {
            case .notFound: (.notFound, "Not found", "There is no such public page: the town may have taken it down, or the address is mistyped.")
            case .malformed(let field, let reason): (.badRequest, "Please check the address", "\(field) \(reason).")
            case .unavailable: (.serviceUnavailable, "The service is busy", "Please try again in a minute.")
            default: (.internalServerError, "Something went wrong", "Something went wrong on our side. Please try again later.")
            }
        if status == .internalServerError { services.logger.error("a public page failed", metadata: ["error": "\(error)"]) }
        return console.pages.render("message", ["title": title, "paragraphs": [paragraph]], status: status)
    }

    /// `body` with a strong `ETag` of its bytes and a short public cache life; 304 when the
    /// request already holds those bytes. No cookie is set: a shared cache may keep it.
    static func cacheable(_ body: String, headers: HTTPFields, request: Request) -> Response {
        let tag = "\"" + SHA256.hash(data: Data(body.utf8)).prefix(16).map { String(format: "%02x", $0) }.joined() + "\""
        var fields = headers
        Pages.secure(&fields)
        fields[.eTag] = tag
        fields[.cacheControl] = "public, max-age=\(publicMaxAge)"
        let sent = request.headers[values: .ifNoneMatch].flatMap { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
        if sent.contains(tag) || sent.contains("*") {
            fields[.contentType] = nil
            fields[.contentDisposition] = nil
            return Response(status: .notModified, headers: fields)
        }
        return Response(status: .ok, headers: fields, body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}
