using OrchardCore.Modules.Manifest;

[assembly: Module(
    Name = "Flattr",
    Author = "Flattr for .NET contributors",
    Version = "1.0.0",
    Description = "Flattr buttons for content items: readers pay creators from a monthly budget. Published items are kept in sync with your Flattr Hub.",
    Dependencies =
    [
        "OrchardCore.Contents",
        "OrchardCore.ContentTypes",
        "OrchardCore.ContentFields",
        "OrchardCore.Liquid",
    ],
    Category = "Content Management",
    Tags = ["flattr", "payments"])]
