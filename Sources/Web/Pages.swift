import Domain
import Foundation
import HTTPTypes
import Hummingbird
import Mustache
import Services
import NIOCore

/// The console's templates (`Templates/*.mustache`, each page a child of `layout`) and the
/// answer every page gets: HTML in UTF-8 with the headers of DESIGN §11.
struct Pages: Sendable {
    struct MissingTemplates: Error, CustomStringConvertible {
        var description: String
    }

    let library: MustacheLibrary

    init() throws {
        guard let directory = Bundle.module.url(forResource: "Templates", withExtension: nil) else {
            throw MissingTemplates(description: "the console's templates are missing from the build")
        }
        var library = MustacheLibrary()
        let files = try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
        for file in files where file.pathExtension == "mustache" {
            let text = try String(contentsOf: file, encoding: .utf8)
            try library.register(text, named: file.deletingPathExtension().lastPathComponent)
        }
        self.library = library
    }

    /// `template` rendered with `values`, as text; nil when the template is not in the build.
    func html(_ template: String, _ values: [String: Any]) -> String? {
        library.render(values, withTemplate: template)
    }

    /// `template` rendered with `values`, as a response with `status` and the security headers.
    func render(_ template: String, _ values: [String: Any], status: HTTPResponse.Status = .ok) -> Response {
        // A template that is not in the build is a bug: say so plainly, as a 500.
        let rendered = library.render(values, withTemplate: template)
        let html = rendered ?? "<!DOCTYPE html><html lang=\"en\"><title>MPMP</title><p>This page could not be drawn; please tell the Center.</p></html>"
        var response = Response(
            status: rendered == nil ? .internalServerError : status, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: html))
        )
        Self.secure(&response.headers)
        return response
    }

    /// 303 See Other to `location`: the answer to every form that worked (POST, redirect, GET).
    static func redirect(to location: String) -> Response {
        var response = Response(status: .seeOther, headers: [.location: location])
        secure(&response.headers)
        return response
    }

    /// `?fy=` of a page that shows one fiscal year: nil when absent (the current one), a
    /// year from 1901 to 2199 (DESIGN §5), or a 400 naming the parameter.
    static func fiscalYear(of request: Request) throws -> Int? {
        guard let text = request.uri.queryParameters["fy"] else { return nil }
        guard let year = Int(String(text)), FiscalYear.supportedEndingYears.contains(year) else {
            throw ServiceError.malformed(field: "fy", reason: "must be a fiscal year from 1901 to 2199, such as 2015")
        }
        return year
    }

    /// `path?name=value&…` with each name and value percent-encoded; `path` alone without pairs.
    static func link(_ path: String, _ pairs: [(String, String)]) -> String {
        guard !pairs.isEmpty else { return path }
        var components = URLComponents()
        components.queryItems = pairs.map { URLQueryItem(name: $0.0, value: $0.1) }
        // URLComponents leaves `+` as is, which a form decoder reads as a space.
        let query = (components.percentEncodedQuery ?? "").replacingOccurrences(of: "+", with: "%2B")
        return "\(path)?\(query)"
    }

    /// No script but our own files, no styles but ours, no framing, no sniffing, and no
    /// referrer beyond our own origin (a reset link's token is in its path; a stricter
    /// `no-referrer` would make browsers send `Origin: null` with our own forms).
    static func secure(_ headers: inout HTTPFields) {
        headers[.contentSecurityPolicy] =
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
            + "frame-ancestors 'none'; base-uri 'none'"
        headers[.xContentTypeOptions] = "nosniff"
        headers[.referrerPolicy] = "same-origin"
        headers[.cacheControl] = "no-store"
        headers[.xFrameOptions] = "DENY"
    }
}

extension HTTPField.Name {
    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
    static let xFrameOptions = HTTPField.Name("X-Frame-Options")!
}
