namespace Flattr.Umbraco.Management;

/// <summary>A document's Flattr state, for the backoffice workspace view.</summary>
/// <param name="Key">The document key.</param>
/// <param name="TakesPart">True when the document type has the Flattr toggle.</param>
/// <param name="Enabled">True when the editor left the button on (published value).</param>
/// <param name="Published">True when the document is published.</param>
/// <param name="State">One of <c>not-applicable</c>, <c>pending</c>, <c>failed</c>, <c>synced</c>, <c>retired</c>, <c>never-synced</c>.</param>
/// <param name="Pending">The change waiting in the outbox, if any.</param>
/// <param name="LastSync">The last change the Hub accepted, if any.</param>
/// <param name="Creator">The creator the document's flattrs go to.</param>
/// <param name="Hub">What the Hub reports for the thing, if it could be asked.</param>
/// <param name="HubError">Why the Hub could not be asked, if it could not.</param>
public sealed record DocumentStatus(
    Guid Key,
    bool TakesPart,
    bool Enabled,
    bool Published,
    string State,
    PendingChange? Pending,
    LastSync? LastSync,
    CreatorInfo? Creator,
    HubThing? Hub,
    string? HubError);

/// <summary>A change waiting in the outbox.</summary>
/// <param name="Kind"><c>upsert</c> or <c>retire</c>.</param>
/// <param name="EnqueuedAt">When it was queued.</param>
/// <param name="Attempts">How often sending it failed.</param>
/// <param name="NextAttemptAt">When it is tried next.</param>
/// <param name="Failed">True when the Hub refused it for good (it waits for the next edit or a resync).</param>
/// <param name="LastError">The last error.</param>
public sealed record PendingChange(string Kind, DateTimeOffset EnqueuedAt, int Attempts, DateTimeOffset NextAttemptAt, bool Failed, string? LastError);

/// <summary>The last change the Hub accepted.</summary>
/// <param name="Kind"><c>upsert</c> or <c>retire</c>.</param>
/// <param name="At">When.</param>
public sealed record LastSync(string Kind, DateTimeOffset At);

/// <summary>A creator as the installation names it.</summary>
/// <param name="Id">The creator id on the Hub.</param>
/// <param name="Name">The display name, if known.</param>
public sealed record CreatorInfo(string Id, string? Name);

/// <summary>What the Hub holds for a thing.</summary>
/// <param name="Retired">True when retired.</param>
/// <param name="ClicksThisPeriod">Flattrs this month.</param>
/// <param name="ClicksAllTime">Flattrs since the thing was registered.</param>
/// <param name="FlattrUrl">The thing's page on the Hub.</param>
/// <param name="CreatorClaimed">True when a Hub account claimed the creator (and can be paid).</param>
public sealed record HubThing(bool Retired, long ClicksThisPeriod, long ClicksAllTime, string FlattrUrl, bool CreatorClaimed);

/// <summary>The answer to a resync request.</summary>
/// <param name="Queued"><c>upsert</c> or <c>retire</c>, or null when the document does not take part.</param>
public sealed record ResyncResult(string? Queued);

/// <summary>A single-use link with which a person claims a creator on the Hub.</summary>
/// <param name="Creator">The creator.</param>
/// <param name="Url">The link to pass on.</param>
/// <param name="ExpiresAt">When it stops working.</param>
public sealed record ClaimLinkResult(CreatorInfo Creator, string Url, DateTimeOffset ExpiresAt);

/// <summary>The configuration check of the settings dashboard.</summary>
/// <param name="HubUrl">The Hub address configured.</param>
/// <param name="InstallationId">The installation id configured.</param>
/// <param name="HubReachable">True when the Hub answered.</param>
/// <param name="InstallationVerified">True when the Hub accepted the installation id and secret.</param>
/// <param name="InstallationName">The name the Hub admin gave this installation.</param>
/// <param name="Problem">What went wrong, in words for the site owner.</param>
/// <param name="Outbox">How deep the outbox is.</param>
/// <param name="FailedItems">The latest items the Hub refused for good.</param>
/// <param name="DocumentTypes">The configured document types and whether they have the Flattr toggle.</param>
/// <param name="LastReconcile">When everything was last compared with the Hub.</param>
/// <param name="EnabledByDefault">The site default of the toggle.</param>
/// <param name="DefaultCreator">The site's default creator.</param>
public sealed record ConfigurationStatus(
    string? HubUrl,
    string? InstallationId,
    bool HubReachable,
    bool InstallationVerified,
    string? InstallationName,
    string? Problem,
    OutboxStatus Outbox,
    IReadOnlyList<FailedItem> FailedItems,
    IReadOnlyList<DocumentTypeStatus> DocumentTypes,
    DateTimeOffset? LastReconcile,
    bool EnabledByDefault,
    CreatorInfo DefaultCreator);

/// <summary>How deep the outbox is.</summary>
/// <param name="Pending">Items waiting (including those backing off).</param>
/// <param name="Failed">Items the Hub refused for good.</param>
/// <param name="OldestEnqueuedAt">When the oldest waiting item was queued.</param>
public sealed record OutboxStatus(int Pending, int Failed, DateTimeOffset? OldestEnqueuedAt);

/// <summary>An item the Hub refused.</summary>
/// <param name="ExternalId">The thing (document key).</param>
/// <param name="Error">Why.</param>
/// <param name="EnqueuedAt">When it was queued.</param>
public sealed record FailedItem(string ExternalId, string? Error, DateTimeOffset EnqueuedAt);

/// <summary>A configured document type.</summary>
/// <param name="Alias">The alias from <c>Flattr:DocumentTypes</c>.</param>
/// <param name="Exists">True when the document type exists.</param>
/// <param name="HasToggle">True when it has the Flattr toggle.</param>
public sealed record DocumentTypeStatus(string Alias, bool Exists, bool HasToggle);
