using System.Globalization;

namespace Flattr;

/// <summary>
/// An amount of money in integer minor units (cents for EUR) of one currency. There is no decimal or
/// floating-point representation anywhere in money paths; arithmetic is checked and never mixes currencies.
/// </summary>
/// <param name="MinorUnits">The amount in the currency's smallest unit.</param>
/// <param name="Currency">The currency of the amount.</param>
public readonly record struct Money(long MinorUnits, Currency Currency) : IComparable<Money>
{
    /// <summary>Zero in <paramref name="currency"/>.</summary>
    public static Money Zero(Currency currency) => new(0, currency);

    /// <summary>True when the amount is exactly zero.</summary>
    public bool IsZero => MinorUnits == 0;

    /// <summary>True when the amount is below zero.</summary>
    public bool IsNegative => MinorUnits < 0;

    /// <summary>Adds two amounts of the same currency; throws <see cref="OverflowException"/> rather than wrap.</summary>
    public static Money operator +(Money left, Money right) =>
        new(checked(left.MinorUnits + SameCurrency(left, right).MinorUnits), left.Currency);

    /// <summary>Subtracts two amounts of the same currency; throws <see cref="OverflowException"/> rather than wrap.</summary>
    public static Money operator -(Money left, Money right) =>
        new(checked(left.MinorUnits - SameCurrency(left, right).MinorUnits), left.Currency);

    /// <summary>Negates the amount.</summary>
    public static Money operator -(Money value) => new(checked(-value.MinorUnits), value.Currency);

    /// <summary>Compares amounts of the same currency.</summary>
    public static bool operator <(Money left, Money right) => left.CompareTo(right) < 0;

    /// <summary>Compares amounts of the same currency.</summary>
    public static bool operator >(Money left, Money right) => left.CompareTo(right) > 0;

    /// <summary>Compares amounts of the same currency.</summary>
    public static bool operator <=(Money left, Money right) => left.CompareTo(right) <= 0;

    /// <summary>Compares amounts of the same currency.</summary>
    public static bool operator >=(Money left, Money right) => left.CompareTo(right) >= 0;

    /// <inheritdoc/>
    public int CompareTo(Money other) => MinorUnits.CompareTo(SameCurrency(this, other).MinorUnits);

    /// <summary>Adds two amounts of the same currency (the named form of <c>+</c>).</summary>
    public static Money Add(Money left, Money right) => left + right;

    /// <summary>Subtracts two amounts of the same currency (the named form of <c>-</c>).</summary>
    public static Money Subtract(Money left, Money right) => left - right;

    /// <summary>Negates an amount (the named form of unary <c>-</c>).</summary>
    public static Money Negate(Money value) => -value;

    /// <summary>
    /// Splits the amount into <paramref name="parts"/> amounts that differ by at most one minor unit and sum
    /// exactly to it; the leftover units go to the first parts.
    /// </summary>
    public Money[] Allocate(int parts)
    {
        var shares = new long[parts];
        MoneyAllocation.Split(MinorUnits, shares);
        var currency = Currency;
        return Array.ConvertAll(shares, share => new Money(share, currency));
    }

    /// <summary>
    /// Splits the amount in proportion to <paramref name="weights"/> by the largest-remainder (Hamilton) method:
    /// every part is the floor or ceiling of its exact share, and the parts sum exactly to the amount.
    /// </summary>
    public Money[] Allocate(ReadOnlySpan<long> weights)
    {
        var shares = new long[weights.Length];
        MoneyAllocation.SplitByWeights(MinorUnits, weights, shares);
        var currency = Currency;
        return Array.ConvertAll(shares, share => new Money(share, currency));
    }

    /// <summary>
    /// Parses a major-unit amount such as <c>2.00</c>, <c>10</c> or <c>-0.5</c> into minor units without floating
    /// point. More fraction digits than the currency has are an error, never rounded away.
    /// </summary>
    public static Money Parse(string text, Currency currency) =>
        TryParse(text, currency, out var money)
            ? money
            : throw new FormatException(
                $"'{text}' is not an amount in {currency.Code} (digits, an optional '.' and at most {currency.MinorDigits} decimals).");

    /// <summary>Parses a major-unit amount without throwing; see <see cref="Parse"/>.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, Currency currency, out Money money)
    {
        money = default;
        text = text.Trim();
        var negative = false;
        if (text.Length > 0 && (text[0] == '-' || text[0] == '+'))
        {
            negative = text[0] == '-';
            text = text[1..];
        }

        var dot = text.IndexOf('.');
        var whole = dot < 0 ? text : text[..dot];
        var fraction = dot < 0 ? [] : text[(dot + 1)..];
        if (whole.Length == 0 || fraction.Length > currency.MinorDigits || (dot >= 0 && fraction.Length == 0))
        {
            return false;
        }

        if (!long.TryParse(whole, NumberStyles.None, CultureInfo.InvariantCulture, out var major))
        {
            return false;
        }

        long minor = 0;
        foreach (var c in fraction)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            minor = (minor * 10) + (c - '0');
        }

        for (var i = fraction.Length; i < currency.MinorDigits; i++)
        {
            minor *= 10;
        }

        try
        {
            var units = checked((major * Pow10(currency.MinorDigits)) + minor);
            money = new Money(negative ? -units : units, currency);
            return true;
        }
        catch (OverflowException)
        {
            return false;
        }
    }

    /// <summary>Formats as <c>EUR 12.34</c>, using the invariant culture.</summary>
    public override string ToString()
    {
        var digits = Currency.MinorDigits;
        var magnitude = (ulong)Int128.Abs(MinorUnits);
        var scale = (ulong)Pow10(digits);
        var sign = MinorUnits < 0 ? "-" : string.Empty;
        var number = digits == 0
            ? magnitude.ToString(CultureInfo.InvariantCulture)
            : string.Create(CultureInfo.InvariantCulture, $"{magnitude / scale}.{(magnitude % scale).ToString(new string('0', digits), CultureInfo.InvariantCulture)}");
        return $"{Currency.Code} {sign}{number}";
    }

    private static long Pow10(int exponent)
    {
        long result = 1;
        for (var i = 0; i < exponent; i++)
        {
            result *= 10;
        }

        return result;
    }

    private static Money SameCurrency(Money left, Money right) =>
        left.Currency == right.Currency
            ? right
            : throw new InvalidOperationException($"Cannot combine {left.Currency} and {right.Currency} amounts.");
}
