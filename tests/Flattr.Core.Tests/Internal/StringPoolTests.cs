using CsCheck;
using Flattr.Internal;

namespace Flattr.Core.Tests.Internal;

/// <summary>The pool that numbers ids: its ordinal order is exactly the order of <see cref="string.CompareOrdinal(string, string)"/>.</summary>
public sealed class StringPoolTests
{
    // Few distinct units, so that names share long prefixes, one is often a prefix of another, and NUL (which a chunk
    // could confuse with a name's end) and the largest unit appear.
    private static readonly Gen<string> Name =
        Gen.OneOf(Gen.Char['\0', '\u0002'], Gen.Const('\uFFFF'), Gen.Char['a', 'b'])
            .Array[1, 11]
            .Select(chars => new string(chars));

    [Fact]
    public void OrdinalOrder_SortsAnyNamesAsCompareOrdinalDoes()
    {
        Name.HashSet[0, 300].Sample(names =>
        {
            var pool = new StringPool();
            foreach (var name in names)
            {
                pool.Intern(name, out _);
            }

            var expected = names.Order(StringComparer.Ordinal).ToArray();
            var actual = pool.OrdinalOrder().Select(i => pool[i]).ToArray();
            Assert.Equal(expected, actual);
        });
    }

    [Fact]
    public void OrdinalRanks_GiveEachIndexItsPlaceInOrdinalOrder()
    {
        var pool = new StringPool();
        string[] names = ["t10", "t1", "t100", "t2", "T3", "t1\0", "t"];
        foreach (var name in names)
        {
            pool.Intern(name, out _);
        }

        var ranks = pool.OrdinalRanks();

        // Ordinal: "T3" < "t" < "t1" < "t1\0" < "t10" < "t100" < "t2".
        Assert.Equal([4, 2, 5, 6, 0, 3, 1], ranks);
    }
}
