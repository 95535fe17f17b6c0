using Flattr.Hub.Accounts;
using Flattr.Hub.Clicks;
using Flattr.Hub.Funding;
using Flattr.Hub.Infrastructure.Database;
using Flattr.Hub.IntegrationTests.Infrastructure;
using Flattr.Hub.Payouts;
using Flattr.Hub.Things;
using Flattr.Protocol;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Stripe;

namespace Flattr.Hub.IntegrationTests.Payouts;

/// <summary>A Hub whose Stripe is the local double, reached through Stripe.net.</summary>
public abstract class PayoutHubFixture(DatabaseKind kind) : HubFixture(kind)
{
    public Flattr.StripeDouble.StripeDouble Stripe { get; private set; } = null!;

    public override async ValueTask InitializeAsync()
    {
        Stripe = await Flattr.StripeDouble.StripeDouble.StartAsync();
        await base.InitializeAsync();
    }

    protected override IEnumerable<string> ExtraArguments() =>
    [
        "--Hub:Stripe:SecretKey", Flattr.StripeDouble.StripeDouble.ApiKey,
        "--Hub:Stripe:ApiBase", Stripe.BaseAddress.AbsoluteUri,
        "--Hub:Stripe:WebhookSecret", "whsec_test_platform",
        "--Hub:Stripe:ConnectWebhookSecret", "whsec_test_connect",
    ];

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Stripe.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}

public sealed class SqlitePayoutHubFixture() : PayoutHubFixture(DatabaseKind.Sqlite);

public sealed class PostgresPayoutHubFixture() : PayoutHubFixture(DatabaseKind.Postgres);

/// <summary>
/// Arranges a month on a running Hub the way it happens for real: an installation syncs things by creators, people claim
/// creators and connect Stripe, readers set budgets and get funds, and flattr things. Every id is unique per world, so
/// worlds on the same Hub do not see each other's data.
/// </summary>
public sealed class PayoutWorld(HubFixture hub, Flattr.StripeDouble.StripeDouble? stripe)
{
    private readonly string _tag = Guid.NewGuid().ToString("N")[..8];
    private string? _installationId;
    private readonly Dictionary<string, long> _things = new(StringComparer.Ordinal);

    public static readonly Period October = new(2026, 10);

    public Dictionary<string, string> People { get; } = new(StringComparer.Ordinal);

    public async Task<string> PersonAsync(string name, long monthlyBudget = 0)
    {
        await using var scope = hub.App.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<HubUser>>();
        var user = new HubUser { UserName = $"{name}-{_tag}@example.org", Email = $"{name}-{_tag}@example.org", MonthlyBudget = monthlyBudget };
        var result = await users.CreateAsync(user);
        Assert.True(result.Succeeded, string.Join(" ", result.Errors.Select(e => e.Description)));
        People[name] = user.Id;
        return user.Id;
    }

    public async Task FundAsync(string person, string amount)
    {
        await using var scope = hub.App.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<FundingService>().CreditManuallyAsync(People[person], amount, "test funds", "test", CancellationToken.None);
    }

    /// <summary>A thing by a creator (as the installation names it); the creator is claimed by <paramref name="claimedBy"/> if given.</summary>
    public async Task ThingAsync(string thing, string creator, string? claimedBy = null)
    {
        await using var scope = hub.App.Services.CreateAsyncScope();
        _installationId ??= (await hub.AddInstallationAsync($"Site {_tag}")).Installation.Id;
        var store = scope.ServiceProvider.GetRequiredService<ThingStore>();
        var upsert = new ThingUpsert
        {
            Url = $"https://blog.example/{_tag}/{thing}", Title = thing, Category = "text",
            Creator = new CreatorUpsert { ExternalId = $"{creator}-{_tag}", Name = creator },
        };
        var stored = (await store.UpsertAsync(_installationId, [(thing, upsert)], CancellationToken.None))[0].Thing;
        _things[thing] = stored.Id;
        if (claimedBy is not null)
        {
            var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
            var entity = await db.Creators.SingleAsync(c => c.Id == stored.CreatorId);
            entity.AccountId = People[claimedBy];
            entity.ClaimedAt = hub.Time.GetUtcNow();
            await db.SaveChangesAsync();
        }
    }

    /// <summary>Connects a Stripe Express account for a person, onboarded or not.</summary>
    public async Task ConnectStripeAsync(string person, bool ready = true)
    {
        var account = await new AccountService(stripe!.CreateClient()).CreateAsync(new AccountCreateOptions { Type = "express" });
        stripe.SetAccountReady(account.Id, ready);
        await hub.WithDbAsync(async db =>
        {
            db.PayoutAccounts.Add(new PayoutAccount { AccountId = People[person], StripeAccountId = account.Id, PayoutsEnabled = ready, DetailsSubmitted = ready, UpdatedAt = hub.Time.GetUtcNow() });
            return await db.SaveChangesAsync();
        });
    }

    public async Task ClickAsync(string reader, string thing, int day, int hour = 12)
    {
        var at = new DateTimeOffset(October.Year, October.Month, day, hour, 0, 0, TimeSpan.Zero);
        await hub.WithDbAsync(async db =>
        {
            var stored = await db.Things.SingleAsync(t => t.Id == _things[thing]);
            db.Clicks.Add(new Click { ReaderId = People[reader], ThingId = stored.Id, CreatorId = stored.CreatorId, Period = Click.PeriodKey(October), ClickedAt = at });
            return await db.SaveChangesAsync();
        });
    }

    public async Task<T> ServiceAsync<T, TService>(Func<TService, Task<T>> action)
        where TService : notnull
    {
        await using var scope = hub.App.Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<TService>());
    }
}
