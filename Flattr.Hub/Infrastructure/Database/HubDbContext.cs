using Flattr.Hub.Accounts;
using Flattr.Hub.Admin;
using Flattr.Hub.Clicks;
using Flattr.Hub.Creators;
using Flattr.Hub.Installations;
using Flattr.Hub.Things;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Flattr.Hub.Infrastructure.Database;

/// <summary>
/// The Hub's data. One model, two providers: <see cref="SqliteHubDbContext"/> (the embedded default) and
/// <see cref="PostgresHubDbContext"/> (production), each with its own migrations.
/// </summary>
public abstract class HubDbContext(DbContextOptions options) : IdentityDbContext<HubUser>(options), IDataProtectionKeyContext
{
    public DbSet<Installation> Installations => Set<Installation>();

    public DbSet<Creator> Creators => Set<Creator>();

    public DbSet<CreatorClaim> CreatorClaims => Set<CreatorClaim>();

    public DbSet<Thing> Things => Set<Thing>();

    public DbSet<Click> Clicks => Set<Click>();

    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();

    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();

    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);

        builder.Entity<Installation>(e =>
        {
            e.HasKey(i => i.Id);
            e.Property(i => i.Id).HasMaxLength(40);
            e.Property(i => i.Name).HasMaxLength(200);
            e.Property(i => i.BaseUrl).HasMaxLength(2048);
            e.Property(i => i.ProtectedSecret).HasMaxLength(1000);
        });

        builder.Entity<Creator>(e =>
        {
            e.Property(c => c.InstallationId).HasMaxLength(40);
            e.Property(c => c.ExternalId).HasMaxLength(256);
            e.Property(c => c.Name).HasMaxLength(200);
            e.HasIndex(c => new { c.InstallationId, c.ExternalId }).IsUnique();
            e.HasIndex(c => c.AccountId);
            e.HasOne<Installation>().WithMany().HasForeignKey(c => c.InstallationId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne(c => c.Account).WithMany().HasForeignKey(c => c.AccountId).OnDelete(DeleteBehavior.Restrict);
        });

        builder.Entity<CreatorClaim>(e =>
        {
            e.Property(c => c.TokenHash).HasMaxLength(64);
            e.HasIndex(c => c.TokenHash).IsUnique();
            e.HasOne(c => c.Creator).WithMany().HasForeignKey(c => c.CreatorId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<Thing>(e =>
        {
            e.Property(t => t.InstallationId).HasMaxLength(40);
            e.Property(t => t.ExternalId).HasMaxLength(256);
            e.Property(t => t.Url).HasMaxLength(2048);
            e.Property(t => t.Title).HasMaxLength(200);
            e.Property(t => t.Description).HasMaxLength(1000);
            e.Property(t => t.Category).HasMaxLength(16);
            e.Property(t => t.Language).HasMaxLength(35);
            e.Property(t => t.Tags).HasMaxLength(1200);
            e.HasIndex(t => new { t.InstallationId, t.ExternalId }).IsUnique();
            e.HasIndex(t => t.CreatorId);
            e.HasOne<Installation>().WithMany().HasForeignKey(t => t.InstallationId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne(t => t.Creator).WithMany().HasForeignKey(t => t.CreatorId).OnDelete(DeleteBehavior.Restrict);
        });

        builder.Entity<Click>(e =>
        {
            e.Property(c => c.ReaderId).HasMaxLength(450);
            // Once per reader, thing and month: the database, not the process, is the judge.
            e.HasIndex(c => new { c.ReaderId, c.ThingId, c.Period }).IsUnique();
            e.HasIndex(c => new { c.ThingId, c.Period });
            e.HasIndex(c => new { c.Period, c.ReaderId });
            e.HasOne<HubUser>().WithMany().HasForeignKey(c => c.ReaderId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<Thing>().WithMany().HasForeignKey(c => c.ThingId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<Creator>().WithMany().HasForeignKey(c => c.CreatorId).OnDelete(DeleteBehavior.Restrict);
        });

        builder.Entity<ApiToken>(e =>
        {
            e.Property(t => t.Name).HasMaxLength(100);
            e.Property(t => t.Prefix).HasMaxLength(16);
            e.Property(t => t.TokenHash).HasMaxLength(64);
            e.HasIndex(t => t.TokenHash).IsUnique();
            e.HasOne<HubUser>().WithMany().HasForeignKey(t => t.AccountId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<AuditEntry>(e =>
        {
            e.Property(a => a.Actor).HasMaxLength(450);
            e.Property(a => a.Action).HasMaxLength(100);
            e.Property(a => a.Subject).HasMaxLength(450);
            e.Property(a => a.Details).HasMaxLength(4000);
            e.HasIndex(a => a.At);
        });
    }
}

/// <summary>The embedded default store: a SQLite file in the Hub's data folder.</summary>
public sealed class SqliteHubDbContext(DbContextOptions<SqliteHubDbContext> options) : HubDbContext(options)
{
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite has no date-time type that orders and compares in SQL; store instants as sortable UTC ticks.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcTicksConverter>();
    }
}

/// <summary>The production store: PostgreSQL, shared by any number of Hub processes.</summary>
public sealed class PostgresHubDbContext(DbContextOptions<PostgresHubDbContext> options) : HubDbContext(options);

/// <summary>Stores an instant as its UTC ticks; reads it back with a zero offset.</summary>
internal sealed class UtcTicksConverter() : Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter<DateTimeOffset, long>(
    v => v.UtcTicks,
    v => new DateTimeOffset(v, TimeSpan.Zero));
