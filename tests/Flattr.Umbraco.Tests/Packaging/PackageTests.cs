using System.Diagnostics;
using System.IO.Compression;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text.Json;
using System.Xml.Linq;

namespace Flattr.Umbraco.Tests.Packaging;

/// <summary>
/// Opens the two NuGet packages (1.x for Umbraco 17, 2.x for Umbraco 18) and checks what a site gets. eng/test.sh packs
/// them into artifacts/packages first and says so through FLATTR_PACKAGES; run on its own, the fixture packs them itself.
/// </summary>
public sealed class PackageTests(PackageTests.Packages packages) : IClassFixture<PackageTests.Packages>
{
    public static TheoryData<int> Lines => [17, 18];

    [Theory]
    [MemberData(nameof(Lines))]
    public void Nuspec_EachLine_HasItsVersionAndUmbracoRangeAndNothingElseBesidesFlattrCore(int umbraco)
    {
        var (nuspec, ns) = packages.Nuspec(umbraco);
        var metadata = nuspec.Root!.Element(ns + "metadata")!;

        Assert.Equal("Flattr.Umbraco", metadata.Element(ns + "id")!.Value);
        Assert.StartsWith(umbraco == 17 ? "1." : "2.", metadata.Element(ns + "version")!.Value, StringComparison.Ordinal);
        Assert.Equal("MIT", metadata.Element(ns + "license")!.Value);
        Assert.Equal("README.md", metadata.Element(ns + "readme")!.Value);
        var dependencies = metadata.Element(ns + "dependencies")!.Descendants(ns + "dependency")
            .ToDictionary(d => d.Attribute("id")!.Value, d => d.Attribute("version")!.Value);
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["Umbraco.Cms.Core"] = umbraco == 17 ? "[17.6.2, 18.0.0)" : "[18.1.1, 19.0.0)",
                ["Flattr.Core"] = "1.0.0",
            },
            dependencies);
        var frameworks = metadata.Element(ns + "frameworkReferences")!.Descendants(ns + "frameworkReference").Select(f => f.Attribute("name")!.Value);
        Assert.Equal(["Microsoft.AspNetCore.App"], frameworks);
    }

    [Theory]
    [MemberData(nameof(Lines))]
    public void Files_EachLine_AreExactlyTheModuleItsAssetsAndItsBuildFiles(int umbraco)
    {
        using var package = packages.Open(umbraco);
        var files = package.Entries.Select(e => e.FullName).Where(f => !IsPackagingMetadata(f)).Order(StringComparer.Ordinal).ToList();

        Assert.Equal(
            [
                "README.md",
                "appsettings-schema.Flattr.json",
                "build/Flattr.Umbraco.props",
                "build/Flattr.Umbraco.targets",
                "build/Microsoft.AspNetCore.StaticWebAssetEndpoints.props",
                "build/Microsoft.AspNetCore.StaticWebAssets.props",
                "buildMultiTargeting/Flattr.Umbraco.props",
                "buildTransitive/Flattr.Umbraco.props",
                "buildTransitive/Flattr.Umbraco.targets",
                "lib/net10.0/Flattr.Umbraco.dll",
                "lib/net10.0/Flattr.Umbraco.xml",
                "staticwebassets/App_Plugins/Flattr/flattr.js",
                "staticwebassets/App_Plugins/Flattr/umbraco-package.json",
            ],
            files);
    }

    [Theory]
    [MemberData(nameof(Lines))]
    public void Assembly_EachLine_IsCompiledAgainstItsOwnUmbracoMajor(int umbraco)
    {
        using var package = packages.Open(umbraco);
        using var dll = new MemoryStream();
        using (var entry = package.GetEntry("lib/net10.0/Flattr.Umbraco.dll")!.Open())
        {
            entry.CopyTo(dll);
        }

        dll.Position = 0;
        using var reader = new PEReader(dll);
        var metadata = reader.GetMetadataReader();
        var umbracoCore = metadata.AssemblyReferences.Select(metadata.GetAssemblyReference).Single(r => metadata.GetString(r.Name) == "Umbraco.Core");

        Assert.Equal(umbraco, umbracoCore.Version.Major);
    }

    [Theory]
    [MemberData(nameof(Lines))]
    public void BackofficeAssets_EachLine_ManifestLoadsTheBuiltBundle(int umbraco)
    {
        using var package = packages.Open(umbraco);
        using var manifest = JsonDocument.Parse(Read(package, "staticwebassets/App_Plugins/Flattr/umbraco-package.json"));
        var bundle = manifest.RootElement.GetProperty("extensions").EnumerateArray().Single();
        var bundleJs = Read(package, "staticwebassets/App_Plugins/Flattr/flattr.js");

        Assert.Equal("Flattr.Umbraco", manifest.RootElement.GetProperty("id").GetString());
        Assert.Equal("bundle", bundle.GetProperty("type").GetString());
        Assert.Equal("/App_Plugins/Flattr/flattr.js", bundle.GetProperty("js").GetString());
        Assert.Contains("as manifests", bundleJs, StringComparison.Ordinal);
        Assert.Contains("Flattr.WorkspaceView.Document", bundleJs, StringComparison.Ordinal);
        Assert.Contains("Flattr.Dashboard.Settings", bundleJs, StringComparison.Ordinal);
        // The backoffice provides its own modules through the import map; the bundle must not carry copies.
        var imports = System.Text.RegularExpressions.Regex.Matches(bundleJs, "from \"([^\"]+)\"").Select(m => m.Groups[1].Value).Distinct();
        Assert.All(imports, i => Assert.StartsWith("@umbraco-cms/backoffice/", i, StringComparison.Ordinal));
        Assert.Equal(File.ReadAllText(Path.Combine(Packages.RepositoryRoot, "Flattr.Umbraco/wwwroot/App_Plugins/Flattr/flattr.js")), bundleJs);
    }

    [Theory]
    [MemberData(nameof(Lines))]
    public void SettingsSchema_EachLine_IsRegisteredForUmbracosSchemaMerge(int umbraco)
    {
        using var package = packages.Open(umbraco);
        using var schema = JsonDocument.Parse(Read(package, "appsettings-schema.Flattr.json"));
        var targets = XDocument.Parse(Read(package, "buildTransitive/Flattr.Umbraco.targets"));

        var flattr = schema.RootElement.GetProperty("properties").GetProperty("Flattr");
        Assert.Equal(["HubUrl", "InstallationId", "Secret", "DefaultCreator"], flattr.GetProperty("required").EnumerateArray().Select(e => e.GetString()));
        var settings = typeof(Flattr.Umbraco.Configuration.FlattrOptions).GetProperties().Select(p => p.Name)
            .Concat(typeof(Flattr.HubClient.FlattrHubOptions).GetProperties().Select(p => p.Name));
        Assert.All(settings, name => Assert.True(flattr.GetProperty("properties").TryGetProperty(name, out _), $"The schema lacks Flattr:{name}."));
        var item = Assert.Single(targets.Descendants("UmbracoJsonSchemaFiles"));
        Assert.Equal("$(MSBuildThisFileDirectory)..\\appsettings-schema.Flattr.json", item.Attribute("Include")!.Value);
    }

    private static bool IsPackagingMetadata(string file) =>
        file is "[Content_Types].xml" or "Flattr.Umbraco.nuspec" || file.StartsWith("_rels/", StringComparison.Ordinal) || file.StartsWith("package/", StringComparison.Ordinal);

    private static string Read(ZipArchive package, string path)
    {
        using var reader = new StreamReader(package.GetEntry(path)?.Open() ?? throw new FileNotFoundException($"{path} is not in the package."));
        return reader.ReadToEnd();
    }

    /// <summary>The two packages: from FLATTR_PACKAGES (eng/test.sh packs them), or packed here into a temporary folder.</summary>
    public sealed class Packages : IDisposable
    {
        public static readonly string RepositoryRoot = typeof(PackageTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "RepositoryRoot").Value!;

        private readonly DirectoryInfo? _temporary;
        private readonly string _folder;

        public Packages()
        {
            var given = Environment.GetEnvironmentVariable("FLATTR_PACKAGES");
            if (!string.IsNullOrEmpty(given))
            {
                _folder = given;
                return;
            }

            _temporary = Directory.CreateTempSubdirectory("flattr-packages-");
            _folder = _temporary.FullName;
            foreach (var umbraco in new[] { 17, 18 })
            {
                Pack(umbraco);
            }
        }

        public ZipArchive Open(int umbraco)
        {
            var major = umbraco == 17 ? 1 : 2;
            var path = Directory.GetFiles(_folder, $"Flattr.Umbraco.{major}.*.nupkg").SingleOrDefault()
                ?? throw new FileNotFoundException($"No Flattr.Umbraco {major}.x package in {_folder}.");
            return ZipFile.OpenRead(path);
        }

        public (XDocument Nuspec, XNamespace Ns) Nuspec(int umbraco)
        {
            using var package = Open(umbraco);
            var nuspec = XDocument.Parse(Read(package, "Flattr.Umbraco.nuspec"));
            return (nuspec, nuspec.Root!.Name.Namespace);
        }

        public void Dispose() => _temporary?.Delete(recursive: true);

        private void Pack(int umbraco)
        {
            var start = new ProcessStartInfo("dotnet")
            {
                WorkingDirectory = RepositoryRoot,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            foreach (var argument in new[] { "pack", "Flattr.Umbraco/Flattr.Umbraco.csproj", "-c", "Release", $"-p:UmbracoMajor={umbraco}", "-o", _folder, "-nologo" })
            {
                start.ArgumentList.Add(argument);
            }

            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, $"dotnet pack for Umbraco {umbraco} failed:\n{output.Result}\n{errors.Result}");
        }
    }
}
