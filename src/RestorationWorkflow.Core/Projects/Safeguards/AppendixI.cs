using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.Projects.Safeguards;

/// <summary>One of the nine safeguards of Appendix I of the plan: its number, a short title and the seed's text.</summary>
public sealed record Safeguard(int Number, LocalizedText Title, LocalizedText Text);

/// <summary>
/// Appendix I of the short-term action plan ("将生物多样性考虑因素纳入生态系统恢复的导则"): the nine safeguards a plan
/// answers. The Chinese text is the seed's own; the seed's third bullet holds two safeguards (disturbance regimes, and
/// the species that carry functions), which the English original numbers 3 and 4, so it is split there.
/// </summary>
public static class AppendixI
{
    public const int DriversOfLoss = 1;
    public const int Grasslands = 2;
    public const int DisturbanceRegimes = 3;
    public const int FunctionalSpecies = 4;
    public const int Habitats = 5;
    public const int NaturalRegeneration = 6;
    public const int LocallyAdaptedNatives = 7;
    public const int Connectivity = 8;
    public const int AlienSpecies = 9;

    public static readonly IReadOnlyList<Safeguard> All =
    [
        new(DriversOfLoss, new("Address the drivers of biodiversity loss", "解决生物多样性丧失的驱动因素"), new(
            "Address the drivers of biodiversity loss, including land-use change, fragmentation, degradation and loss, over-exploitation, pollution, climate change and invasive alien species. Restoring ecosystems generally costs more than preventing their degradation, and some species and ecosystem services cannot be recovered once lost. Natural habitats are refuges for species and can offer opportunities to restore other areas.",
            "解决生物多样性丧失的驱动因素，其中包括土地利用的变化、碎片化、退化和丧失、过度开采、污染、气候变化和外来侵入物种。生态系统恢复的成本一般比防止退化成本要高，而且，某些物种和生态系统服务一旦丧失便不可能复原。此外，自然生境是各种物种的避难所，能够向其他地区提供恢复机会。")),
        new(Grasslands, new("Grasslands and ecosystems with naturally low tree cover", "草原和天然低林木植的生态系统"), new(
            "Avoid afforestation of grasslands and of ecosystems with naturally low tree cover.",
            "避免在草原和拥有天然的低林木植的生态系统开展植树造林。")),
        new(DisturbanceRegimes, new("Natural and traditional disturbance regimes", "自然和传统的干扰机制"), new(
            "Natural and traditional disturbance regimes (for example fire or grazing) may be important for the structure and functioning of ecosystems; identify how they can be part of the restoration activities.",
            "自然和传统的干扰机制（例如，焚烧或放牧）对于生态系统结构和发挥职能可能是重要的，应确定如何才能使其成为恢复活动的一部分。")),
        new(FunctionalSpecies, new("Species that carry ecosystem functions", "提供生态系统服务和职能的物种"), new(
            "Use research on the functions of species in ecosystems and the links between ecosystem functions and services. Give due consideration to restoring and recovering species that directly provide ecosystem services and functions, such as seed dispersal, pollination, maintaining food chains (for example top predators) and nutrient flows.",
            "利用关于物种在生态系统中的职能的研究，以及生态系统功能和服务之间的联系。应适当考虑恢复和复原那些直接提供生态系统服务和职能的物种，如种子传播、授粉以及维护食物链（如主要捕食者）和养份流动。")),
        new(Habitats, new("Habitats important for reproduction and recovery", "对物种的繁殖和复原具有重要意义的生境"), new(
            "Habitats important for the reproduction and recovery of species may be given priority for restoration.",
            "可优先考虑恢复对物种的繁殖和复原具有重要意义的生境。")),
        new(NaturalRegeneration, new("Natural regeneration", "自然再生"), new(
            "Consider that natural regeneration may let degraded areas recover on their own once drivers such as fragmentation, degradation and loss are removed or reduced. Active restoration, such as removing invasive alien species, reintroducing native plants and animals, and restoring soil and hydrological processes, usually needs more time and more resources.",
            "考虑到自然再生可能允许已退化的地区在碎片化、退化和丧失等驱动因素消退或减轻后自动复原的情况。如需要积极恢复，比如清除外来侵入物种、重新引进本地植物和动物，以及重振土壤和水文活力的进程，这通常会需要更长时间和更多资源。")),
        new(LocallyAdaptedNatives, new("Locally adapted native species", "本地场地适应物种"), new(
            "Where restoration is helped by planting and reintroduction, use locally adapted native species, and mind the genetic diversity within and among native species, their life histories and the consequences of their interactions with each other and with the environment.",
            "如果生态系统恢复正得到种植和再引进的帮助，则利用本地场地适应物种、关注本地物种内部和之间的遗传差异、其生命史及其彼此和与环境互动的后果。")),
        new(Connectivity, new("Connectivity within the landscape or seascape", "陆地和海洋景观的链接"), new(
            "Take site-based action within integrated landscape and seascape management: for example, restore ecosystem services across land uses, or promote landscape connectivity and biodiversity conservation by restoring ecosystems next to refuges for species (protected areas, key biodiversity areas, important bird and biodiversity areas, Alliance for Zero Extinction sites), creating buffer zones or corridors between them.",
            "在陆地和海洋景观综合管理做法的背景下，采取基于保护点的行动。例如：可优先关注在各种不同的土地利用内，恢复生态系统服务；或通过在物种避难所（例如，保护区、主要的生物多样性地区、重要的鸟类和生物多样性地区以及零灭绝联盟保护点）邻近的生态系统恢复，促进将景观链接起来和生物多样性养护，创建缓冲区，或者在其之间创建联通走廊。")),
        new(AlienSpecies, new("Alien species and the precautionary approach", "外来物种和谨慎办法"), new(
            "Prevent the introduction of alien species that threaten ecosystems, habitats or species: where an alien species is considered, for example to stabilise severely degraded soil at first, be guided by a sound scientific and precautionary approach consistent with the preamble of the Convention, to avoid the loss of habitats and species to invasive alien species.",
            "防止引进那些威胁到生态系统、生境或物种的外来物种：如果正考虑使用外来物种，例如，用以初步固定严重退化的土壤，应特别以符合《公约》序言部分的合理科学和谨慎办法为指导，以避免由于外来侵入物种而导致的生境和物种丧失。")),
    ];

    public static Safeguard Get(int number) =>
        All.FirstOrDefault(s => s.Number == number) ?? throw new ArgumentOutOfRangeException(nameof(number), number, "Appendix I has safeguards 1 to 9.");
}
