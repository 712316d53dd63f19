using DeepLearning.Course.Interactive;

namespace DeepLearning.Course.Tests.Interactive;

public class ThresholdTests
{
    [Theory]
    [InlineData(0.95, true)]
    [InlineData(0.9500001, true)]
    [InlineData(0.9499999, false)]
    public void At_least_includes_its_bound(double value, bool met) =>
        Assert.Equal(met, Threshold.AtLeast(0.95).IsMet(value, quick: false));

    [Theory]
    [InlineData(1e-5, true)]
    [InlineData(1.1e-5, false)]
    public void At_most_includes_its_bound(double value, bool met) =>
        Assert.Equal(met, Threshold.AtMost(1e-5).IsMet(value, quick: true));

    [Fact]
    public void Above_and_below_are_strict()
    {
        Assert.False(Threshold.Above(0.5).IsMet(0.5, quick: true));
        Assert.True(Threshold.Above(0.5).IsMet(0.50001, quick: true));
        Assert.False(Threshold.Below(2.0, "the vanilla RNN").IsMet(2.0, quick: false));
        Assert.True(Threshold.Below(2.0, "the vanilla RNN").IsMet(1.99, quick: false));
    }

    [Fact]
    public void Within_is_a_symmetric_tolerance()
    {
        var lnTwo = Threshold.Within(Math.Log(2), 0.05, "ln 2");
        Assert.True(lnTwo.IsMet(0.693 + 0.049, quick: true));
        Assert.True(lnTwo.IsMet(0.693 - 0.049, quick: false));
        Assert.False(lnTwo.IsMet(0.75, quick: true));
        Assert.Equal("0.6931 ± 0.05 (ln 2)", lnTwo.Describe(quick: true));
    }

    [Fact]
    public void A_mode_without_a_bound_does_not_check()
    {
        // Given a condition asserted in full mode only
        var fullOnly = Threshold.Below(quick: null, full: 2.0, against: "the vanilla RNN");
        // Then quick mode accepts anything and says so; full mode checks it
        Assert.False(fullOnly.Checks(quick: true));
        Assert.True(fullOnly.IsMet(5, quick: true));
        Assert.False(fullOnly.IsMet(5, quick: false));
        Assert.Equal("none (full: < 2 (the vanilla RNN))", fullOnly.Describe(quick: true));
        Assert.Equal("< 2 (the vanilla RNN) (quick: none)", fullOnly.Describe(quick: false));
    }

    [Fact]
    public void And_requires_every_condition_of_the_mode()
    {
        // Given the GRU's requirement: 0.15 (quick) / 0.25 (full) below the bigram, and below the RNN in full mode
        var gru = Threshold.AtMost(quick: 2.30, full: 2.20).And(Threshold.Below(quick: null, full: 2.10, against: "the vanilla RNN"));
        Assert.True(gru.IsMet(2.15, quick: true));
        Assert.False(gru.IsMet(2.15, quick: false));   // below 2.20 but not below the RNN
        Assert.True(gru.IsMet(2.05, quick: false));
        Assert.Equal("≤ 2.3 (full: ≤ 2.2) and none (full: < 2.1 (the vanilla RNN))", gru.Describe(quick: true));
        Assert.Equal("≤ 2.2 (quick: ≤ 2.3) and < 2.1 (the vanilla RNN) (quick: none)", gru.Describe(quick: false));
    }

    [Fact]
    public void The_same_bound_in_both_modes_is_written_once()
    {
        Assert.Equal("≥ 0.95", Threshold.AtLeast(0.95).Describe(quick: true));
        Assert.Equal("≥ 0.93 (full: ≥ 0.95)", Threshold.AtLeast(quick: 0.93, full: 0.95).Describe(quick: true));
        Assert.Equal("≥ 0.93 (full: ≥ 0.95) and > 0.58 (baseline + 0.5)",
            Threshold.AtLeast(quick: 0.93, full: 0.95).And(Threshold.Above(0.58, "baseline + 0.5")).Describe(quick: true));
    }

    [Theory]
    [InlineData(1e-5, "1e-05")]
    [InlineData(3.2e-7, "3.2e-07")]
    [InlineData(0.95, "0.95")]
    [InlineData(1.65912, "1.6591")]
    [InlineData(60000, "60,000")]
    [InlineData(120724.6135, "120,725")]
    [InlineData(0, "0")]
    public void Numbers_are_written_compactly(double value, string text) => Assert.Equal(text, Condition.Number(value));
}
