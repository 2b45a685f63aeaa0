import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// An error answer as RFC 9457 `application/problem+json`.
///
/// Validation failures list each field with its reason, so a client can point at the
/// input that is wrong.
public struct Problem: Error, HTTPResponseError, Codable, Equatable, Sendable {
    public struct FieldError: Codable, Equatable, Sendable {
        /// The field's path in the body (`population`, `items[3].value`) or a CSV row.
        public var field: String
        public var reason: String

        public init(field: String, reason: String) {
            self.field = field
            self.reason = reason
        }
    }

    /// A URI naming the kind of problem; `about:blank` when the status says it all.
    public var type: String
    public var title: String
    public var statusCode: Int
    public var detail: String?
    /// The request's id, to find its log lines.
    public var requestID: String?
    public var errors: [FieldError]?
    /// For a 405: the methods the address accepts, sent as the `Allow` header.
    public var allow: String? = nil

    public init(
        _ status: HTTPResponse.Status,
        type: String = "about:blank",
        title: String? = nil,
        detail: String? = nil,
        errors: [FieldError]? = nil
    ) {
        self.statusCode = status.code
        self.type = type
        self.title = title ?? status.reasonPhrase
        self.detail = detail
        self.errors = errors
    }

    enum CodingKeys: String, CodingKey {
        case type, title, detail, errors
        case statusCode = "status"
        case requestID = "requestId"
    }

    public var status: HTTPResponse.Status { HTTPResponse.Status(code: statusCode) }

    public static let mediaType = "application/problem+json"

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var body = self
        if body.requestID == nil {
            body.requestID = context.id
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(body)
        var headers: HTTPFields = [.contentType: Self.mediaType]
        if status == .unauthorized {
            headers[.wwwAuthenticate] = "Bearer"
        }
        if status == .serviceUnavailable {
            headers[.retryAfter] = "5"
        }
        if let allow {
            headers[.allow] = allow
        }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

extension Problem {
    public static func notFound(_ detail: String = "There is nothing at this address.") -> Problem {
        Problem(.notFound, detail: detail)
    }

    public static func validation(_ errors: [FieldError]) -> Problem {
        Problem(
            .unprocessableContent,
            type: "https://mpmp.example/problems/validation",
            title: "The request has invalid fields",
            detail: errors.map { "\($0.field): \($0.reason)" }.joined(separator: "; "),
            errors: errors
        )
    }

    /// A 500 that says nothing of its cause: the cause is in the log, under the request id.
    public static let internalError = Problem(
        .internalServerError,
        detail: "Something went wrong on our side. The request id identifies it in our logs."
    )
}

extension Problem {
    public static func unauthenticated(_ detail: String) -> Problem {
        Problem(.unauthorized, type: "https://mpmp.example/problems/unauthenticated", detail: detail)
    }

    public static func forbidden(_ detail: String = "Your role does not allow this.") -> Problem {
        Problem(.forbidden, type: "https://mpmp.example/problems/forbidden", detail: detail)
    }

    public static func conflict(_ detail: String) -> Problem {
        Problem(.conflict, type: "https://mpmp.example/problems/conflict", detail: detail)
    }

    public static func badRequest(field: String, reason: String) -> Problem {
        Problem(
            .badRequest,
            type: "https://mpmp.example/problems/malformed-request",
            title: "The request is malformed",
            detail: "\(field): \(reason)",
            errors: [FieldError(field: field, reason: reason)]
        )
    }
}
