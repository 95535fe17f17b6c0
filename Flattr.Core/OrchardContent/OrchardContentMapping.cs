using Flattr.Protocol;
using Flattr.Sync;

namespace Flattr.OrchardContent;

/// <summary>Whether an Orchard Core content item is a thing readers can flattr, and if not, why.</summary>
public enum ContentEligibility
{
    /// <summary>Published, enabled, with a public address and a creator: a thing.</summary>
    Eligible,

    /// <summary>The item version is not the published one (a draft, or an unpublished item).</summary>
    NotPublished,

    /// <summary>The item's type does not have <c>FlattrPart</c> attached.</summary>
    NoFlattrPart,

    /// <summary>An editor switched the item's Flattr button off.</summary>
    Disabled,

    /// <summary>The item has no public address: its type has no <c>AutoroutePart</c>, or the item's path is empty.</summary>
    NoUrl,

    /// <summary>Nobody would be paid: the item names no creator and the site has no default creator.</summary>
    NoCreator,

    /// <summary>The item maps to a thing the Hub would refuse (see <see cref="OrchardContentMapping.Problems"/>).</summary>
    Invalid,
}

/// <summary>What <see cref="OrchardContentMapper.Map"/> made of one content item.</summary>
public sealed record OrchardContentMapping
{
    /// <summary>The item's <c>ContentItemId</c>, which is the thing's external id.</summary>
    public required string ContentItemId { get; init; }

    /// <summary>The item version that was mapped (<c>ContentItemVersionId</c>), for logs.</summary>
    public string? ContentItemVersionId { get; init; }

    /// <summary>Whether the item is a thing.</summary>
    public required ContentEligibility Eligibility { get; init; }

    /// <summary>The thing, when the item is <see cref="ContentEligibility.Eligible"/> or <see cref="ContentEligibility.Invalid"/>.</summary>
    public ThingUpsert? Thing { get; init; }

    /// <summary>Why the item is not eligible, in words an editor understands; null when it is.</summary>
    public string? Reason { get; init; }

    /// <summary>The Hub's validation messages, when <see cref="Eligibility"/> is <see cref="ContentEligibility.Invalid"/>.</summary>
    public IReadOnlyList<string> Problems { get; init; } = [];

    /// <summary>True when the item is a thing the Hub accepts.</summary>
    public bool IsEligible => Eligibility == ContentEligibility.Eligible;

    /// <summary>
    /// The change to queue for the Hub after the item was published: an upsert of the thing, or a retirement when the
    /// item stopped being a thing (switched off, unpublished, lost its address). An invalid thing is queued as an upsert,
    /// so the queue's processor records the Hub's reason where the site owner sees it.
    /// </summary>
    public SyncItem ToSyncItem(DateTimeOffset now) =>
        Thing is not null && Eligibility is ContentEligibility.Eligible or ContentEligibility.Invalid
            ? SyncItem.Upsert(ContentItemId, Thing, now)
            : SyncItem.Retire(ContentItemId, now);
}
