using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;

namespace Flattr;

/// <summary>An ISO 4217 currency and the number of minor-unit digits its amounts carry.</summary>
public readonly record struct Currency
{
    // ISO 4217 minor units for the currencies a hub can settle in. Zero- and three-decimal
    // currencies are listed so amounts are never silently scaled by the wrong power of ten.
    private static readonly FrozenDictionary<string, int> MinorDigitsByCode = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["AUD"] = 2, ["BGN"] = 2, ["BHD"] = 3, ["BRL"] = 2, ["CAD"] = 2, ["CHF"] = 2, ["CLP"] = 0, ["CNY"] = 2,
        ["CZK"] = 2, ["DKK"] = 2, ["EUR"] = 2, ["GBP"] = 2, ["HKD"] = 2, ["HUF"] = 2, ["IDR"] = 2, ["ILS"] = 2,
        ["INR"] = 2, ["ISK"] = 0, ["JOD"] = 3, ["JPY"] = 0, ["KRW"] = 0, ["KWD"] = 3, ["MXN"] = 2, ["MYR"] = 2,
        ["NOK"] = 2, ["NZD"] = 2, ["OMR"] = 3, ["PHP"] = 2, ["PLN"] = 2, ["RON"] = 2, ["SEK"] = 2, ["SGD"] = 2,
        ["THB"] = 2, ["TND"] = 3, ["TRY"] = 2, ["TWD"] = 2, ["UAH"] = 2, ["USD"] = 2, ["VND"] = 0, ["ZAR"] = 2,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private Currency(string code, int minorDigits)
    {
        Code = code;
        MinorDigits = minorDigits;
    }

    /// <summary>The euro, the Hub's default settlement currency.</summary>
    public static Currency Eur { get; } = new("EUR", 2);

    /// <summary>The three-letter upper-case ISO 4217 code, for example <c>EUR</c>.</summary>
    public string Code { get; }

    /// <summary>How many digits follow the decimal point in a major-unit amount (2 for EUR, 0 for JPY, 3 for KWD).</summary>
    public int MinorDigits { get; }

    /// <summary>Returns the currency for an ISO 4217 code, or throws <see cref="FormatException"/> naming the code.</summary>
    public static Currency FromCode(string code) =>
        TryFromCode(code, out var currency)
            ? currency
            : throw new FormatException($"'{code}' is not an ISO 4217 currency code this hub supports.");

    /// <summary>Looks up an ISO 4217 code (upper case) without throwing.</summary>
    public static bool TryFromCode([NotNullWhen(true)] string? code, out Currency currency)
    {
        if (code is not null && MinorDigitsByCode.TryGetValue(code, out var digits))
        {
            currency = new Currency(code, digits);
            return true;
        }

        currency = default;
        return false;
    }

    /// <inheritdoc/>
    public override string ToString() => Code ?? string.Empty;
}
