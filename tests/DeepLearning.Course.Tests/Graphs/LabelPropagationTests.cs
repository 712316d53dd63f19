using DeepLearning.Course.Graphs;
using static TorchSharp.torch;

namespace DeepLearning.Course.Tests.Graphs;

public class LabelPropagationTests
{
    [Fact]
    public void Two_labelled_ends_of_a_path_split_it_in_the_middle()
    {
        // Given a path 0-1-2-3-4-5 with node 0 labelled 0 and node 5 labelled 1
        long[] s = [0, 1, 2, 3, 4];
        long[] t = [1, 2, 3, 4, 5];
        using var edges = tensor(s.Concat(t).Concat(t).Concat(s).ToArray(), [2, 10]);
        using var labels = tensor(new long[] { 0, 0, 0, 1, 1, 1 });
        using var known = tensor(new long[] { 0, 5 });

        // When the labels propagate
        using var scores = LabelPropagation.Propagate(edges, 6, labels, known, numClasses: 2);

        // Then each node takes the label of the nearer end
        Assert.Equal(new long[] { 0, 0, 0, 1, 1, 1 }, scores.argmax(1).data<long>().ToArray());
    }
}
