import HTTPTypes

/// The Swift type that reads each JSON request body the OpenAPI document describes, by
/// operation. The document says what a body may hold; this table says which type reads
/// it; two checks keep the two one:
///
/// - a route decodes its body through `Request.decodeJSON`, which refuses (as the bug it
///   is) a type other than the one named here for the route's operation;
/// - `RequestBodyContractTests` builds, for every documented body, an instance holding
///   every documented field, decodes it with the type named here, and then spoils each
///   field in turn: a field whose spoiling goes unnoticed is one the type never reads,
///   and a field the type needs that the document lacks fails the first decode.
enum RequestBodies {
    static let types: [String: any (Decodable & Sendable).Type] = [
        "POST /v1/auth/login": AuthRoutes.LoginBody.self,
        "POST /v1/auth/password": AuthRoutes.PasswordChange.self,
        "PATCH /v1/me/preferences": AuthRoutes.PreferencesPatch.self,
        "POST /v1/auth/password-reset": AuthRoutes.PasswordResetRequest.self,
        "POST /v1/auth/password-reset/{token}": AuthRoutes.PasswordReset.self,
        "POST /v1/invitations/{token}/accept": InvitationRoutes.Acceptance.self,
        "POST /v1/users": UserRoutes.NewUser.self,
        "POST /v1/jurisdictions": CatalogRoutes.JurisdictionBody.self,
        "POST /v1/tenant-kinds": CatalogRoutes.TenantKindBody.self,
        "POST /v1/tenants": TenantRoutes.NewTenant.self,
        "PATCH /v1/tenants/{t}": TenantRoutes.TenantPatch.self,
        "POST /v1/tenants/{t}/departments": TenantRoutes.NewDepartment.self,
        "POST /v1/tenants/{t}/invitations": InvitationRoutes.NewInvitation.self,
        "POST /v1/programs": ProgramRoutes.ProgramBody.self,
        "PUT /v1/programs/{code}/years/{fy}": ProgramRoutes.ProgramYearBody.self,
        "PUT /v1/programs/{code}/years/{fy}/fee-schedule": ProgramRoutes.FeeScheduleBody.self,
        "POST /v1/programs/{code}/years/{fy}/grants": ProgramRoutes.GrantBody.self,
        "POST /v1/funding-sources": ProgramRoutes.FundingSourceBody.self,
        "POST /v1/tenants/{t}/enrollments": InvoiceRoutes.NewEnrollment.self,
        "POST /v1/tenants/{t}/invoices/{id}/finalize": InvoiceRoutes.Finalization.self,
        "POST /v1/tenants/{t}/invoices/{id}/payments": InvoiceRoutes.NewPayment.self,
        "POST /v1/tenants/{t}/invoices/{id}/credit-notes": InvoiceRoutes.NewCreditNote.self,
        "POST /v1/tenants/{t}/measures": MeasureRoutes.NewMeasure.self,
        "PATCH /v1/tenants/{t}/measures/{m}": MeasureRoutes.MeasurePatch.self,
        "PUT /v1/tenants/{t}/measures/{m}/targets/{fy}": MeasureRoutes.TargetRequest.self,
        "POST /v1/tenants/{t}/measures/{m}/data": MeasureRoutes.NewDataPoint.self,
        "POST /v1/tenants/{t}/measures/{m}/data/validations": MeasureRoutes.Signoff.self,
        "POST /v1/tenants/{t}/meetings": MeetingRoutes.NewMeeting.self,
        "POST /v1/tenants/{t}/meetings/{id}/agenda-items": MeetingRoutes.NewAgendaItem.self,
        "POST /v1/tenants/{t}/action-items": MeetingRoutes.NewActionItem.self,
        "PATCH /v1/tenants/{t}/action-items/{id}": MeetingRoutes.ActionItemPatch.self,
        "POST /v1/library/measures": InsightRoutes.TemplateBody.self,
    ]

    /// The type that reads the body of `method` on the route `template`.
    static func type(_ method: HTTPRequest.Method, _ template: String) -> (any (Decodable & Sendable).Type)? {
        types["\(method.rawValue) \(template)"]
    }

    /// A route decoded its body with a type this table does not name for its operation: a
    /// bug of ours (500), found by any test of the route.
    struct Mismatch: Error, CustomStringConvertible {
        let operation: String
        let decoded: String
        let documented: String

        var description: String {
            "\(operation) decodes its body as \(decoded); RequestBodies names \(documented) for it"
        }
    }
}
