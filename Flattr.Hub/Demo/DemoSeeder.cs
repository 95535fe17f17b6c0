using Flattr.Hub.Accounts;
using Flattr.Hub.Clicks;
using Flattr.Hub.Funding;
using Flattr.Hub.Infrastructure;
using Flattr.Hub.Infrastructure.Database;
using Flattr.Hub.Installations;
using Flattr.Hub.Payouts;
using Flattr.Hub.Things;
using Flattr.Protocol;
using Mediator;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Stripe;

namespace Flattr.Hub.Demo;

/// <summary>What <c>demo seed</c> made.</summary>
public sealed record DemoSummary
{
    public required int Seed { get; init; }

    /// <summary>The month the clicks are in (the previous calendar month), as yyyy-MM.</summary>
    public required string Period { get; init; }

    public required string PayoutMode { get; init; }

    public required int Installations { get; init; }

    public required int Creators { get; init; }

    public required int ClaimedCreators { get; init; }

    public required int CreatorAccounts { get; init; }

    public required int PayoutAccountsReady { get; init; }

    public required int Things { get; init; }

    public required int Readers { get; init; }

    public required int ReadersFunded { get; init; }

    /// <summary>The funds credited to readers, in minor units.</summary>
    public required long FundsCredited { get; init; }

    public required int Clicks { get; init; }

    public required string AdminEmail { get; init; }

    /// <summary>The single-use link with which the demo admin sets a password; null when the account has one.</summary>
    public string? AdminSetPasswordUrl { get; init; }
}

/// <summary>
/// Fills an empty Hub with a believable month, so a newcomer can walk through a payout run in the admin pages: three
/// sites, twenty creators (twelve claimed by eight creator accounts), about seventy things in several categories, a
/// hundred readers with budgets and manually credited funds, and flattrs spread over the previous calendar month with a
/// Zipf-like skew (a few things are very popular, most are flattred a little). The same seed gives the same month
/// (names, amounts, who flattred what and when); database ids differ from run to run.
/// </summary>
public sealed class DemoSeeder(
    HubDbContext db,
    IMediator mediator,
    ThingStore things,
    UserManager<HubUser> users,
    FundingService funding,
    PasswordResetLinks resetLinks,
    TimeProvider time,
    IOptions<HubOptions> hubOptions,
    IOptions<PayoutOptions> payoutOptions,
    IServiceProvider services,
    ILogger<DemoSeeder> logger)
{
    public const string AdminEmail = "demo-admin@example.org";

    private const string Actor = "demo";

    private static readonly (string Name, string Url, string[] Categories)[] Sites =
    [
        ("Northern Lights Journal", "https://journal.demo.example/", ["text", "audio"]),
        ("Pixel & Grain", "https://photos.demo.example/", ["images", "video"]),
        ("Open Sourcery", "https://code.demo.example/", ["software", "text", "video"]),
    ];

    private static readonly string[] CreatorNames =
    [
        "Ada Lindqvist", "Bruno Okafor", "Chiara Neri", "Dmitri Volkov", "Eun-ji Park", "Fatima Haddad", "Gustav Berg", "Hana Sato",
        "Ines Duarte", "Jonas Weber", "Kavya Rao", "Liam O'Brien", "Mei Chen", "Nils Andersen", "Olga Petrova", "Pablo Ruiz",
        "Quinn Murphy", "Rosa Alvarez", "Sven Holm", "Tomasz Nowak",
    ];

    private static readonly string[] TitleWords =
    [
        "Notes on", "A field guide to", "Why I love", "The quiet art of", "Ten years of", "Letters about", "Sketches of", "Chasing",
        "Understanding", "Small joys of",
    ];

    private static readonly string[] Topics =
    [
        "northern winters", "sourdough", "typography", "rust and memory", "city birds", "night trains", "compilers", "film grain",
        "open maps", "tiny gardens", "old radios", "fjord light", "bicycle repair", "tea ceremonies", "lighthouses", "async code",
    ];

    public async Task<DemoSummary> SeedAsync(int seed, CancellationToken cancellationToken)
    {
        if (await db.Installations.AnyAsync(cancellationToken))
        {
            throw new HubValidationException("hub",
                "This Hub is not empty (it has installations). demo seed only fills an empty Hub, so made-up data never mixes with real data; "
                + "point it at a new database (for example --ConnectionStrings:Hub \"Data Source=demo.db\").");
        }

        var random = new Random(seed);
        var hub = hubOptions.Value;
        var currency = hub.SettlementCurrency;
        var period = Period.Containing(time.GetUtcNow()).Previous;

        // Sites, creators and their things, as the sites' plugins would sync them.
        var allThings = new List<Thing>();
        var creatorsBySite = new List<List<string>>();
        var names = CreatorNames.OrderBy(_ => random.Next()).ToList();
        var next = 0;
        var installations = new List<string>();
        for (var s = 0; s < Sites.Length; s++)
        {
            var site = Sites[s];
            var installation = await mediator.Send(new RegisterInstallation(site.Name, site.Url, Actor), cancellationToken);
            installations.Add(installation.Installation.Id);
            var count = s == Sites.Length - 1 ? names.Count - next : names.Count / Sites.Length;
            var siteCreators = names.Skip(next).Take(count).ToList();
            next += count;
            creatorsBySite.Add(siteCreators);
            var items = new List<(string, ThingUpsert)>();
            foreach (var creator in siteCreators)
            {
                var slug = Slug(creator);
                var thingCount = random.Next(2, 6);
                for (var t = 0; t < thingCount; t++)
                {
                    var title = $"{TitleWords[random.Next(TitleWords.Length)]} {Topics[random.Next(Topics.Length)]}";
                    var externalId = $"{slug}-{t + 1}";
                    items.Add((externalId, new ThingUpsert
                    {
                        Url = $"{site.Url}{slug}/{t + 1}",
                        Title = title,
                        Category = site.Categories[random.Next(site.Categories.Length)],
                        Language = "en",
                        Tags = [Topics[random.Next(Topics.Length)]],
                        Creator = new CreatorUpsert { ExternalId = slug, Name = creator },
                    }));
                }
            }

            allThings.AddRange((await things.UpsertAsync(installation.Installation.Id, items, cancellationToken)).Select(r => r.Thing));
        }

        // Creator accounts: eight people claim twelve creators (four of them write on two sites).
        var now = time.GetUtcNow();
        var creators = await db.Creators.Where(c => installations.Contains(c.InstallationId)).OrderBy(c => c.Name).ToListAsync(cancellationToken);
        var claimable = creators.OrderBy(_ => random.Next()).Take(12).ToList();
        var creatorAccounts = new List<HubUser>();
        for (var i = 0; i < 8; i++)
        {
            creatorAccounts.Add(await CreateUserAsync($"demo-creator-{i + 1:00}@example.org", claimable[i].Name!, 0, [HubRoles.Reader, HubRoles.Creator]));
        }

        for (var i = 0; i < claimable.Count; i++)
        {
            claimable[i].AccountId = creatorAccounts[i % creatorAccounts.Count].Id;
            claimable[i].ClaimedAt = now;
        }

        await db.SaveChangesAsync(cancellationToken);

        // Payout accounts only when Stripe is configured; otherwise the run pays manually (a payout file).
        var stripe = services.GetService<StripeClient>();
        var mode = payoutOptions.Value.Mode is { } configured ? Enum.Parse<PayoutMode>(configured) : stripe is null ? PayoutMode.Manual : PayoutMode.Stripe;
        var ready = 0;
        if (stripe is not null)
        {
            foreach (var account in creatorAccounts.Take(5))
            {
                var connected = await new AccountService(stripe).CreateAsync(
                    new AccountCreateOptions { Type = "express", Email = account.Email, Metadata = new Dictionary<string, string> { ["flattr_account"] = account.Id } },
                    new RequestOptions { IdempotencyKey = $"flattr-demo-connect:{account.Id}" },
                    cancellationToken);
                // Demo only: marked ready so the walk-through pays them; a real account becomes ready through onboarding.
                db.PayoutAccounts.Add(new PayoutAccount
                {
                    AccountId = account.Id, StripeAccountId = connected.Id, PayoutsEnabled = true, DetailsSubmitted = true, UpdatedAt = now,
                });
                ready++;
            }

            await db.SaveChangesAsync(cancellationToken);
        }

        // Readers: budgets from the minimum up to ten times it; most have three months of funds, some less, a few none.
        var minimum = hub.MinimumBudget.MinorUnits;
        int[] multiples = [1, 2, 2, 3, 5, 5, 5, 10];
        var readers = new List<(HubUser User, long Budget)>();
        long credited = 0;
        var funded = 0;
        for (var i = 0; i < 100; i++)
        {
            var budget = minimum * multiples[random.Next(multiples.Length)];
            var user = await CreateUserAsync($"demo-reader-{i + 1:000}@example.org", $"Reader {i + 1}", budget, [HubRoles.Reader]);
            readers.Add((user, budget));
            var roll = random.Next(100);
            var funds = roll < 80 ? budget * 3 : roll < 90 ? budget / 2 : 0;
            if (funds > 0)
            {
                await funding.CreditManuallyAsync(user.Id, BudgetText.Format(funds, currency),
                    $"demo: bank transfer DEMO-{seed}-{i + 1:000}", Actor, cancellationToken);
                credited += funds;
                funded++;
            }
        }

        // Flattrs over the previous month: popularity follows 1/rank (a few hits, a long tail); one in ten readers
        // flattrs nothing, so their budget is carried over.
        var popularity = allThings.OrderBy(_ => random.Next()).ToList();
        var weights = popularity.Select((_, rank) => 1.0 / (rank + 1)).ToArray();
        var total = weights.Sum();
        var key = Click.PeriodKey(period);
        var seconds = (long)(period.End - period.Start).TotalSeconds;
        var clicks = 0;
        int[] counts = [0, 1, 2, 2, 3, 3, 4, 5, 6, 8, 12];
        foreach (var (reader, _) in readers)
        {
            var wanted = counts[random.Next(counts.Length)];
            var chosen = new HashSet<int>();
            for (var attempt = 0; chosen.Count < wanted && attempt < wanted * 20; attempt++)
            {
                var pick = random.NextDouble() * total;
                var index = 0;
                while (index < weights.Length - 1 && (pick -= weights[index]) > 0)
                {
                    index++;
                }

                chosen.Add(index);
            }

            foreach (var index in chosen.Order())
            {
                var thing = popularity[index];
                db.Clicks.Add(new Click
                {
                    ReaderId = reader.Id, ThingId = thing.Id, CreatorId = thing.CreatorId, Period = key,
                    ClickedAt = period.Start.AddSeconds(random.NextInt64(seconds)),
                });
                clicks++;
            }
        }

        await db.SaveChangesAsync(cancellationToken);

        var admin = await users.FindByEmailAsync(AdminEmail) ?? await CreateUserAsync(AdminEmail, "Demo Admin", 0, [HubRoles.Reader]);
        if (!await users.IsInRoleAsync(admin, HubRoles.Admin))
        {
            Check(await users.AddToRoleAsync(admin, HubRoles.Admin));
        }

        var link = await users.HasPasswordAsync(admin) ? null : await resetLinks.CreateAsync(admin);
        var month = period.ToString();
        Log.DemoSeeded(logger, month, seed, readers.Count, creators.Count, clicks);
        return new DemoSummary
        {
            Seed = seed,
            Period = month,
            PayoutMode = mode.ToString(),
            Installations = installations.Count,
            Creators = creators.Count,
            ClaimedCreators = claimable.Count,
            CreatorAccounts = creatorAccounts.Count,
            PayoutAccountsReady = ready,
            Things = allThings.Count,
            Readers = readers.Count,
            ReadersFunded = funded,
            FundsCredited = credited,
            Clicks = clicks,
            AdminEmail = AdminEmail,
            AdminSetPasswordUrl = link?.AbsoluteUri,
        };

        async Task<HubUser> CreateUserAsync(string email, string displayName, long budget, string[] roles)
        {
            var user = new HubUser { UserName = email, Email = email, DisplayName = displayName, MonthlyBudget = budget, CreatedAt = now };
            Check(await users.CreateAsync(user));
            foreach (var role in roles)
            {
                Check(await users.AddToRoleAsync(user, role));
            }

            return user;
        }
    }

    private static string Slug(string name) =>
        string.Concat(name.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-')).Replace("--", "-", StringComparison.Ordinal);

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(string.Join(" ", result.Errors.Select(e => e.Description)));
        }
    }
}
