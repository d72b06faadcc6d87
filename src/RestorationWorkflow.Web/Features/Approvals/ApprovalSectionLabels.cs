using Microsoft.Extensions.Localization;

namespace RestorationWorkflow.Web.Features.Approvals;

/// <summary>How the pages name a covered section (<see cref="RestorationWorkflow.Workflows.ApprovalSections"/>), in the interface language.</summary>
public static class ApprovalSectionLabels
{
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Style", "IDE1006:Naming Styles", Justification = "L, as the views name the localizer, so the translation test finds the keys.")]
    public static string Label(IStringLocalizer L, string section)
    {
        ArgumentNullException.ThrowIfNull(L);
        return section switch
        {
            "registry" => L["Registry"],
            "team" => L["Team"],
            "checklist" => L["Step checklist"],
            "forms" => L["Step forms"],
            "sites" => L["Sites"],
            "stakeholders" => L["Stakeholders"],
            "participation" => L["Participation events"],
            "consents" => L["Consent records"],
            "targets" => L["Restoration targets"],
            "safeguards" => L["Safeguard review"],
            "evidence" => L["Evidence"],
            _ => section,
        };
    }
}
