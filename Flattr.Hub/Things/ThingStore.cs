using System.Text.Json;
using Flattr.Hub.Clicks;
using Flattr.Hub.Creators;
using Flattr.Hub.Infrastructure;
using Flattr.Hub.Infrastructure.Database;
using Flattr.Protocol;
using ThingCategories = Flattr.Things.ThingCategories;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Flattr.Hub.Things;

/// <summary>Creates, updates, reads and retires things, always within one installation's own data.</summary>
public sealed class ThingStore(HubDbContext db, TimeProvider time, IOptions<HubOptions> options)
{
    /// <summary>Applies validated upserts in one transaction; returns, per item, whether it was created.</summary>
    public async Task<IReadOnlyList<(bool Created, Thing Thing)>> UpsertAsync(
        string installationId, IReadOnlyList<(string ExternalId, ThingUpsert Upsert)> items, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var creatorIds = items.Select(i => i.Upsert.Creator!.ExternalId!).Distinct(StringComparer.Ordinal).ToList();
        var thingIds = items.Select(i => i.ExternalId).Distinct(StringComparer.Ordinal).ToList();

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var creators = await db.Creators
            .Where(c => c.InstallationId == installationId && creatorIds.Contains(c.ExternalId))
            .ToDictionaryAsync(c => c.ExternalId, StringComparer.Ordinal, cancellationToken);
        var things = await db.Things
            .Where(t => t.InstallationId == installationId && thingIds.Contains(t.ExternalId))
            .ToDictionaryAsync(t => t.ExternalId, StringComparer.Ordinal, cancellationToken);

        var results = new List<(bool, Thing)>(items.Count);
        foreach (var (externalId, upsert) in items)
        {
            var thing = ThingValidation.ToThing(installationId, externalId, upsert);
            if (!creators.TryGetValue(thing.Creator.ExternalId, out var creator))
            {
                creator = new Creator { InstallationId = installationId, ExternalId = thing.Creator.ExternalId, CreatedAt = now };
                creators[creator.ExternalId] = creator;
                db.Creators.Add(creator);
            }

            if (thing.Creator.Name is not null && creator.Name != thing.Creator.Name)
            {
                creator.Name = thing.Creator.Name;
                creator.UpdatedAt = now;
            }

            var created = !things.TryGetValue(externalId, out var stored);
            if (stored is null)
            {
                stored = new Thing
                {
                    InstallationId = installationId, ExternalId = externalId, Url = string.Empty, Title = string.Empty, Category = "rest", CreatedAt = now,
                };
                things[externalId] = stored;
                db.Things.Add(stored);
            }

            stored.Url = thing.Url.AbsoluteUri;
            stored.Title = thing.Title;
            stored.Description = thing.Description;
            stored.Category = ThingCategories.ToWireName(thing.Category);
            stored.Language = thing.Language;
            stored.Tags = JsonSerializer.Serialize(thing.Tags, HubJson.Default.IReadOnlyListString);
            stored.Hidden = thing.Hidden;
            stored.Creator = creator;
            stored.RetiredAt = null; // republishing brings a retired thing back
            stored.UpdatedAt = now;
            results.Add((created, stored));
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return results;
    }

    /// <summary>Forgets tracked changes, after a failed save, so a retry starts from the database's state.</summary>
    public void Reset() => db.ChangeTracker.Clear();

    public Task<Thing?> FindAsync(string installationId, string externalId, CancellationToken cancellationToken) =>
        db.Things.Include(t => t.Creator).SingleOrDefaultAsync(t => t.InstallationId == installationId && t.ExternalId == externalId, cancellationToken);

    /// <summary>Retires a thing; returns false when the installation has no such thing.</summary>
    public async Task<bool> RetireAsync(string installationId, string externalId, CancellationToken cancellationToken)
    {
        var thing = await db.Things.SingleOrDefaultAsync(t => t.InstallationId == installationId && t.ExternalId == externalId, cancellationToken);
        if (thing is null)
        {
            return false;
        }

        thing.RetiredAt ??= time.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    /// <summary>The protocol view of things, with their click counts for the current period and all time.</summary>
    public async Task<List<ThingView>> ViewsAsync(IReadOnlyList<Thing> things, CancellationToken cancellationToken)
    {
        var ids = things.Select(t => t.Id).ToList();
        var period = Click.PeriodKey(Period.Containing(time.GetUtcNow()));
        var counts = await db.Clicks.Where(c => ids.Contains(c.ThingId))
            .GroupBy(c => c.ThingId)
            .Select(g => new { ThingId = g.Key, AllTime = g.LongCount(), ThisPeriod = g.LongCount(c => c.Period == period) })
            .ToDictionaryAsync(c => c.ThingId, cancellationToken);
        var creatorIds = things.Select(t => t.CreatorId).Distinct().ToList();
        var creators = await db.Creators.Where(c => creatorIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, cancellationToken);
        var hub = options.Value.PublicUrl;
        return [.. things.Select(t =>
        {
            var creator = creators[t.CreatorId];
            var count = counts.GetValueOrDefault(t.Id);
            return new ThingView
            {
                Id = t.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ExternalId = t.ExternalId,
                Url = t.Url,
                Title = t.Title,
                Description = t.Description,
                Category = t.Category,
                Language = t.Language,
                Tags = JsonSerializer.Deserialize(t.Tags, HubJson.Default.IReadOnlyListString) ?? [],
                Hidden = t.Hidden,
                Retired = t.RetiredAt is not null,
                Creator = new CreatorView { ExternalId = creator.ExternalId, Name = creator.Name, Claimed = creator.AccountId is not null },
                FlattrUrl = new Uri(hub, $"things/{t.Id}").AbsoluteUri,
                Clicks = new ClickCounts { ThisPeriod = count?.ThisPeriod ?? 0, AllTime = count?.AllTime ?? 0 },
                UpdatedAt = t.UpdatedAt,
            };
        })];
    }
}
