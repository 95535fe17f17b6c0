using System.Security.Cryptography;
using Flattr.Hub.Creators;
using Flattr.Hub.Infrastructure.Database;
using Flattr.Hub.Installations;
using Flattr.Hub.Things;
using Flattr.Protocol;
using Microsoft.EntityFrameworkCore;
using ThingCategories = Flattr.Things.ThingCategories;

namespace Flattr.Hub.Clicks;

/// <summary>Why a button link was refused, or <see cref="Valid"/>.</summary>
public enum ButtonLinkStatus
{
    /// <summary>The link is signed by an enabled installation.</summary>
    Valid,

    /// <summary>A required parameter is missing or invalid (400).</summary>
    Malformed,

    /// <summary>The installation is unknown or disabled (403).</summary>
    UnknownInstallation,

    /// <summary>The signature does not match the parameters (403).</summary>
    BadSignature,
}

/// <summary>The thing a valid button link names, registered if it was new.</summary>
/// <param name="Status">Whether the link is valid.</param>
/// <param name="Problem">What is wrong, for the reader, when not valid.</param>
/// <param name="Installation">The installation, when valid.</param>
/// <param name="Thing">The Hub's thing (with its creator), when valid.</param>
/// <param name="Registered">True when this link registered the thing.</param>
public sealed record ButtonLinkResult(ButtonLinkStatus Status, string? Problem, Installation? Installation, Thing? Thing, bool Registered);

/// <summary>
/// Reads and verifies signed button links (<see cref="FlattrLinks"/>) and registers a thing the installation never
/// synced, as the original Flattr's auto-submit did. A link never changes a thing the Hub already holds: synced
/// metadata wins, a retired thing stays retired, and the creator stays whoever the installation last named.
/// </summary>
public sealed class ButtonLinks(HubDbContext db, InstallationSecrets secrets, TimeProvider time, ILogger<ButtonLinks> logger)
{
    /// <summary>Reads the link from decoded query values, verifies it and returns its thing, registering it when new.</summary>
    /// <param name="query">A decoded query value by name; null when absent (or given more than once).</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    public async Task<ButtonLinkResult> ResolveAsync(Func<string, string?> query, CancellationToken cancellationToken)
    {
        if (!FlattrLinks.TryRead(query, out var link, out var signature, out var problem))
        {
            Log.FlattrLinkRefused(logger, query("installation"), "malformed");
            return new ButtonLinkResult(ButtonLinkStatus.Malformed, problem, null, null, false);
        }

        var installation = await db.Installations.AsNoTracking().SingleOrDefaultAsync(i => i.Id == link!.InstallationId, cancellationToken);
        if (installation is null || installation.DisabledAt is not null)
        {
            Log.FlattrLinkRefused(logger, link!.InstallationId, "unknown-installation");
            return new ButtonLinkResult(
                ButtonLinkStatus.UnknownInstallation, "The site this button belongs to is not registered with this Hub, or it has been disabled.", null, null, false);
        }

        string secret;
        try
        {
            secret = secrets.Unprotect(installation);
        }
        catch (CryptographicException)
        {
            // A secret the key ring can no longer decrypt cannot sign anything.
            Log.FlattrLinkRefused(logger, installation.Id, "secret-unreadable");
            return new ButtonLinkResult(ButtonLinkStatus.BadSignature, "This button's signature cannot be checked.", null, null, false);
        }

        if (!FlattrLinks.Verify(secret, link!, signature))
        {
            Log.FlattrLinkRefused(logger, installation.Id, "bad-signature");
            return new ButtonLinkResult(
                ButtonLinkStatus.BadSignature, "This button's signature does not match its details: the link was changed or is not from this site.", null, null, false);
        }

        var thing = await FindAsync(link!, cancellationToken);
        var registered = false;
        if (thing is null)
        {
            try
            {
                thing = await RegisterAsync(link!, cancellationToken);
                registered = true;
                Log.ThingRegisteredFromLink(logger, link!.InstallationId, link.ExternalId, thing.Id);
            }
            catch (DbUpdateException e) when (ClickRecorder.IsUniqueViolation(e))
            {
                // Another request (a sync or a second reader) created the thing or its creator at the same moment.
                db.ChangeTracker.Clear();
                thing = await FindAsync(link!, cancellationToken);
                if (thing is null)
                {
                    // Only the creator was created concurrently; now it is found and the thing goes in.
                    thing = await RegisterAsync(link!, cancellationToken);
                    registered = true;
                }
            }
        }

        return new ButtonLinkResult(ButtonLinkStatus.Valid, null, installation, thing, registered);
    }

    private Task<Thing?> FindAsync(ThingLink link, CancellationToken cancellationToken) =>
        db.Things.AsNoTracking().Include(t => t.Creator)
            .SingleOrDefaultAsync(t => t.InstallationId == link.InstallationId && t.ExternalId == link.ExternalId, cancellationToken);

    private async Task<Thing> RegisterAsync(ThingLink link, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var creator = await db.Creators.SingleOrDefaultAsync(
            c => c.InstallationId == link.InstallationId && c.ExternalId == link.CreatorExternalId, cancellationToken);
        if (creator is null)
        {
            creator = new Creator
            {
                InstallationId = link.InstallationId, ExternalId = link.CreatorExternalId, Name = link.CreatorName, CreatedAt = now, UpdatedAt = now,
            };
            db.Creators.Add(creator);
        }

        var thing = new Thing
        {
            InstallationId = link.InstallationId,
            ExternalId = link.ExternalId,
            Url = link.Url.AbsoluteUri,
            Title = link.Title.Trim(),
            Category = ThingCategories.ToWireName(link.Category),
            Language = link.Language,
            Creator = creator,
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.Things.Add(thing);
        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return thing;
    }
}
