using DeepLearning.Course.Data;

namespace DeepLearning.Course.Tests.Data;

public class KarateClubTests
{
    [Fact]
    public void Karate_club_has_34_members_78_ties_and_two_clubs_of_17()
    {
        // Given the committed CSV files (datasets/karate-club, checked against their SHA-256)
        // When loaded
        using var club = KarateClub.Load();

        // Then Zachary's numbers hold: 34 members, 78 ties, each stored in both directions
        Assert.Equal(34, club.NumMembers);
        Assert.Equal(78, club.NumTies);
        Assert.Equal([2L, 156L], club.EdgeIndex.shape);
        // and the split is 17 / 17, the instructor in his own club and the administrator in the other
        Assert.Equal([17L, 17L], club.Clubs.bincount(null, 2).data<long>().ToArray());
        Assert.Equal(0, club.Clubs[KarateClubData.Instructor].item<long>());
        Assert.Equal(1, club.Clubs[KarateClubData.Administrator].item<long>());
        Assert.Equal(["Mr. Hi", "Officer"], club.ClubNames);
        // and the two leaders are the best connected: 16 and 17 ties
        var degree = club.EdgeIndex[0].bincount(null, 34).data<long>().ToArray();
        Assert.Equal(16, degree[KarateClubData.Instructor]);
        Assert.Equal(17, degree[KarateClubData.Administrator]);
        // and each tie's weight is there for both directions
        Assert.Equal(156, club.Weights.shape[0]);
        Assert.Equal(club.Weights[0].item<float>(), club.Weights[1].item<float>());
    }
}
