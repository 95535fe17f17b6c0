using Flattr.Hub.Accounts;
using Flattr.Hub.Admin;
using Flattr.Hub.Clicks;
using Flattr.Hub.Creators;
using Flattr.Hub.Funding;
using Flattr.Hub.Installations;
using Flattr.Hub.Ledger;
using Flattr.Hub.Payouts;
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

    public DbSet<LedgerTransaction> LedgerTransactions => Set<LedgerTransaction>();

    public DbSet<LedgerEntry> LedgerEntries => Set<LedgerEntry>();

    public DbSet<PayoutRun> PayoutRuns => Set<PayoutRun>();

    public DbSet<PayoutRunReader> PayoutRunReaders => Set<PayoutRunReader>();

    public DbSet<PayoutAllocation> PayoutAllocations => Set<PayoutAllocation>();

    public DbSet<PayoutLine> PayoutLines => Set<PayoutLine>();

    public DbSet<PayoutLinePart> PayoutLineParts => Set<PayoutLinePart>();

    public DbSet<PayoutLineEvent> PayoutLineEvents => Set<PayoutLineEvent>();

    public DbSet<PayoutAccount> PayoutAccounts => Set<PayoutAccount>();

    public DbSet<StripeCheckout> StripeCheckouts => Set<StripeCheckout>();

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

        ConfigureMoney(builder);

        builder.Entity<AuditEntry>(e =>
        {
            e.Property(a => a.Actor).HasMaxLength(450);
            e.Property(a => a.Action).HasMaxLength(100);
            e.Property(a => a.Subject).HasMaxLength(450);
            e.Property(a => a.Details).HasMaxLength(4000);
            e.HasIndex(a => a.At);
        });
    }
    private static void ConfigureMoney(ModelBuilder builder)
    {
        builder.Entity<LedgerTransaction>(e =>
        {
            e.Property(t => t.Kind).HasMaxLength(50);
            e.Property(t => t.Reference).HasMaxLength(200);
            e.Property(t => t.Actor).HasMaxLength(450);
            e.Property(t => t.Description).HasMaxLength(1000);
            // A real-world event is booked at most once, whichever process reports it.
            e.HasIndex(t => t.Reference).IsUnique();
            e.HasMany(t => t.Entries).WithOne(x => x.Transaction).HasForeignKey(x => x.TransactionId).OnDelete(DeleteBehavior.Restrict);
        });

        builder.Entity<LedgerEntry>(e =>
        {
            e.Property(x => x.Account).HasMaxLength(500);
            e.Property(x => x.Currency).HasMaxLength(3);
            e.HasIndex(x => x.Account);
        });

        builder.Entity<PayoutRun>(e =>
        {
            e.HasIndex(r => r.Period).IsUnique();
            e.Property(r => r.Currency).HasMaxLength(3);
            e.Property(r => r.CreatedBy).HasMaxLength(450);
            e.Property(r => r.ApprovedBy).HasMaxLength(450);
            e.Property(r => r.State).HasConversion<string>().HasMaxLength(20);
            e.Property(r => r.Mode).HasConversion<string>().HasMaxLength(20);
            e.Ignore(r => r.PeriodValue);
            e.Ignore(r => r.TransferGroup);
        });

        builder.Entity<PayoutRunReader>(e =>
        {
            e.Property(r => r.ReaderId).HasMaxLength(450);
            e.HasIndex(r => new { r.RunId, r.ReaderId }).IsUnique();
            e.HasIndex(r => r.ReaderId);
            e.HasOne<PayoutRun>().WithMany().HasForeignKey(r => r.RunId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<PayoutAllocation>(e =>
        {
            e.HasIndex(a => new { a.RunId, a.CreatorId }).IsUnique();
            e.HasOne<PayoutRun>().WithMany().HasForeignKey(a => a.RunId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<Creator>().WithMany().HasForeignKey(a => a.CreatorId).OnDelete(DeleteBehavior.Restrict);
        });

        builder.Entity<PayoutLine>(e =>
        {
            e.Property(l => l.PayeeId).HasMaxLength(450);
            e.Property(l => l.Reason).HasMaxLength(1000);
            e.Property(l => l.IdempotencyKey).HasMaxLength(255);
            e.Property(l => l.Destination).HasMaxLength(255);
            e.Property(l => l.StripeTransferId).HasMaxLength(255);
            e.Property(l => l.State).HasConversion<string>().HasMaxLength(20);
            e.HasIndex(l => new { l.RunId, l.PayeeId }).IsUnique();
            e.HasIndex(l => l.IdempotencyKey).IsUnique();
            e.HasIndex(l => l.StripeTransferId).IsUnique();
            e.HasOne<PayoutRun>().WithMany().HasForeignKey(l => l.RunId).OnDelete(DeleteBehavior.Cascade);
            e.HasMany(l => l.Parts).WithOne().HasForeignKey(p => p.LineId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<PayoutLineEvent>(e =>
        {
            e.Property(x => x.State).HasConversion<string>().HasMaxLength(20);
            e.Property(x => x.Detail).HasMaxLength(1000);
            e.HasIndex(x => x.LineId);
            e.HasOne<PayoutLine>().WithMany().HasForeignKey(x => x.LineId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<PayoutAccount>(e =>
        {
            e.HasKey(a => a.AccountId);
            e.Property(a => a.AccountId).HasMaxLength(450);
            e.Property(a => a.StripeAccountId).HasMaxLength(255);
            e.HasIndex(a => a.StripeAccountId).IsUnique();
            e.HasOne<HubUser>().WithOne().HasForeignKey<PayoutAccount>(a => a.AccountId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<StripeCheckout>(e =>
        {
            e.HasKey(c => c.SessionId);
            e.Property(c => c.SessionId).HasMaxLength(255);
            e.Property(c => c.ReaderId).HasMaxLength(450);
            e.Property(c => c.Currency).HasMaxLength(3);
            e.Property(c => c.State).HasConversion<string>().HasMaxLength(20);
            e.Property(c => c.PaymentIntentId).HasMaxLength(255);
            // Refunds and disputes name the payment intent: it finds the reader, and belongs to one checkout only.
            e.HasIndex(c => c.PaymentIntentId).IsUnique();
            e.HasIndex(c => new { c.ReaderId, c.CreatedAt });
            e.HasOne<HubUser>().WithMany().HasForeignKey(c => c.ReaderId).OnDelete(DeleteBehavior.Restrict);
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
public sealed class PostgresHubDbContext(DbContextOptions<PostgresHubDbContext> options) : HubDbContext(options)
{
    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);

        // Computing a payout plan updates every reader row of the run once. With half of each page kept free the
        // update stays on the row's page (a HOT update in PostgreSQL's terms) and leaves both indexes alone: measured
        // at a million readers, 4.8 s instead of 22.8 s.
        builder.Entity<PayoutRunReader>().HasStorageParameter("fillfactor", 50);
    }
}

/// <summary>Stores an instant as its UTC ticks; reads it back with a zero offset.</summary>
internal sealed class UtcTicksConverter() : Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter<DateTimeOffset, long>(
    v => v.UtcTicks,
    v => new DateTimeOffset(v, TimeSpan.Zero));
