using Flattr.Buttons;
using Flattr.OrchardContent;
using Flattr.Sync;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace Flattr.OrchardCore.ViewModels;

/// <summary>The Settings → Flattr form.</summary>
public class FlattrSettingsViewModel
{
    public string? HubUrl { get; set; }

    public string? InstallationId { get; set; }

    /// <summary>A new secret; blank keeps the stored one. Never filled in from the stored value.</summary>
    public string? Secret { get; set; }

    public string? DefaultCreatorId { get; set; }

    public string? DefaultCreatorName { get; set; }

    public FlattrCreatorMode CreatorMode { get; set; }

    public bool DefaultEnabled { get; set; } = true;

    public ButtonStyle ButtonStyle { get; set; }

    [BindNever]
    public bool HasSecret { get; set; }

    [BindNever]
    public IReadOnlyList<FlattrSettingsProblem> Problems { get; set; } = [];

    [BindNever]
    public int Pending { get; set; }

    [BindNever]
    public int Failed { get; set; }

    [BindNever]
    public DateTimeOffset? OldestPendingAt { get; set; }

    [BindNever]
    public IReadOnlyList<SyncItem> FailedItems { get; set; } = [];
}

/// <summary>The FlattrPart settings form of a content type.</summary>
public class FlattrPartSettingsViewModel
{
    public string? Category { get; set; }

    public bool Hidden { get; set; }

    [BindNever]
    public IReadOnlyList<string> Categories { get; set; } = [];
}
