using DeepLearning.Course;
using static TorchSharp.torch;

namespace DeepLearning.Course.Tests;

public class OwnedTensorsTests
{
    [Fact]
    public void A_tensor_from_an_array_is_a_copy_in_torchs_memory_with_the_given_shape()
    {
        // Given an array of six values
        var values = new float[] { 1, 2, 3, 4, 5, 6 };
        // When it becomes a 2 x 3 tensor through OwnedTensors and the array is changed afterwards
        using var t = OwnedTensors.From(values, 2, 3);
        values[0] = 100;
        // Then the tensor has the shape and keeps the original values: it does not share the (pinned, GC-placed) array
        Assert.Equal(new long[] { 2, 3 }, t.shape);
        Assert.Equal(new float[] { 1, 2, 3, 4, 5, 6 }, t.data<float>().ToArray());
    }
}
