import Foundation

/// The authorization matrix of DESIGN.md section 3 as one pure function, default deny.
public enum AuthorizationPolicy {
    /// How far a tenant role reaches for one action: the cells of the matrix.
    enum Reach {
        /// The role may not.
        case none
        /// Anywhere in a tenant where the role is held ("portfolio", "own").
        case tenant
        /// Only in the department the role is bound to ("own department").
        case ownDepartment
        /// Only action items assigned to the caller ("assigned to them").
        case assignedToSelf
        /// Everyone, whatever the resource ("yes" for every role).
        case everyone
    }

    /// Per action: analyst, chief executive, department head. Center admins may do all.
    static func reach(of action: Action) -> (analyst: Reach, chiefExecutive: Reach, departmentHead: Reach) {
        switch action {
        case .manageCatalog, .onboardTenant, .manageUsers, .inviteChiefExecutive, .manageBilling,
            .readProgramReports, .publishLibrary, .changeFeeDrivers:
            (.none, .none, .none)
        case .readTenantProfile:
            (.tenant, .tenant, .tenant)
        case .updateTenantProfile, .setMeasureSharing, .readAuditLog:
            (.none, .tenant, .none)
        case .inviteDepartmentHead:
            (.none, .tenant, .none)
        case .manageDepartments, .validateData, .manageMeetings, .readBilling:
            (.tenant, .tenant, .none)
        case .editMeasures, .enterData, .readMeasures:
            (.tenant, .tenant, .ownDepartment)
        case .readMeetings:
            (.tenant, .tenant, .assignedToSelf)
        case .readLibrary, .readCatalog:
            (.everyone, .everyone, .everyone)
        }
    }

    public static func decide(_ principal: Principal, _ action: Action, _ resource: Resource) -> Decision {
        if principal.isCenterAdmin {
            return .allow
        }
        let reaches = reach(of: action)
        // "yes" for every role holds for any signed-in user, with or without grants.
        if reaches.analyst == .everyone {
            return .allow
        }
        guard let tenantID = resource.tenantID else {
            return .deny
        }
        for role in principal.roles(in: tenantID) {
            let reach: Reach =
                switch role {
                case .analyst: reaches.analyst
                case .chiefExecutive: reaches.chiefExecutive
                case .departmentHead: reaches.departmentHead
                }
            if allows(reach, role: role, principal: principal, resource: resource) {
                return .allow
            }
        }
        return .deny
    }

    private static func allows(_ reach: Reach, role: TenantRole, principal: Principal, resource: Resource) -> Bool {
        switch reach {
        case .none:
            return false
        case .tenant, .everyone:
            return true
        case .ownDepartment:
            guard case .departmentHead(let ownDepartment) = role,
                case .department(_, let departmentID) = resource
            else { return false }
            return departmentID == ownDepartment
        case .assignedToSelf:
            guard case .actionItem(_, let assigneeID) = resource else { return false }
            return assigneeID == principal.userID
        }
    }
}
