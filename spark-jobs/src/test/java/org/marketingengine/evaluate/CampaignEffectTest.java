package org.marketingengine.evaluate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.marketingengine.evaluate.CampaignEffect.Group;
import org.marketingengine.evaluate.CampaignEffect.Key;

class CampaignEffectTest {
  static final String C = "c1";

  static Map<Key, Group> groups() {
    Map<Key, Group> g = new HashMap<>();
    // Whole campaign: 10% treatment against 5% control, revenue 20 against 10 per user.
    g.put(new Key(C, "all", "all", "treatment"), new Group(1000, 100, 20_000, 800_000, 500));
    g.put(new Key(C, "all", "all", "control"), new Group(1000, 50, 10_000, 400_000, 0));
    // One segment, measured against its own control.
    g.put(new Key(C, "segment", "champions", "treatment"), new Group(400, 80, 8000, 320_000, 200));
    g.put(new Key(C, "segment", "champions", "control"), new Group(100, 10, 1000, 40_000, 0));
    // offer x segment is measured against the segment's control.
    g.put(
        new Key(C, "offer_segment", "coupon|champions", "treatment"),
        new Group(200, 50, 4000, 160_000, 100));
    // An offer is measured against the whole control.
    g.put(new Key(C, "offer", "coupon", "treatment"), new Group(500, 75, 9000, 360_000, 250));
    // A segment nobody held out has no effect.
    g.put(new Key(C, "segment", "new", "treatment"), new Group(50, 5, 100, 400, 10));
    return g;
  }

  static CampaignEffect find(List<CampaignEffect> effects, String dimension, String value) {
    return effects.stream()
        .filter(e -> e.dimension().equals(dimension) && e.value().equals(value))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void eachTreatmentIsComparedWithItsOwnControl() {
    List<CampaignEffect> effects = CampaignEffect.from(groups(), 150);

    assertThat(effects)
        .extracting(e -> e.dimension() + "=" + e.value())
        .containsExactly(
            "all=all", "offer=coupon", "offer_segment=coupon|champions", "segment=champions");
    CampaignEffect all = find(effects, "all", "all");
    assertThat(all.treatmentRate()).isCloseTo(0.10, within(1e-12));
    assertThat(all.controlRate()).isCloseTo(0.05, within(1e-12));
    assertThat(all.uplift()).isCloseTo(0.05, within(1e-12));
    assertThat(all.upliftLower()).isLessThan(0.05);
    assertThat(all.upliftUpper()).isGreaterThan(0.05);
    assertThat(all.pValue()).isLessThan(0.001);
    assertThat(all.revenuePerUserDiff()).isCloseTo(10.0, within(1e-9));
    assertThat(all.incrementalRevenue()).isCloseTo(10_000.0, within(1e-6));
    assertThat(all.roi()).isCloseTo((10_000.0 - 500) / 500, within(1e-9));
    assertThat(all.smallGroup()).isFalse();

    CampaignEffect segment = find(effects, "segment", "champions");
    assertThat(segment.controlUsers()).isEqualTo(100);
    assertThat(segment.uplift()).isCloseTo(0.20 - 0.10, within(1e-12));
    assertThat(segment.smallGroup()).as("control of 100 < 150").isTrue();

    CampaignEffect offerSegment = find(effects, "offer_segment", "coupon|champions");
    assertThat(offerSegment.controlUsers()).isEqualTo(100);
    assertThat(offerSegment.uplift()).isCloseTo(0.25 - 0.10, within(1e-12));

    CampaignEffect offer = find(effects, "offer", "coupon");
    assertThat(offer.controlUsers()).isEqualTo(1000);
    assertThat(offer.uplift()).isCloseTo(0.15 - 0.05, within(1e-12));
  }

  @Test
  void aCampaignWithoutCostHasNoRoi() {
    Map<Key, Group> g = new HashMap<>();
    g.put(new Key(C, "all", "all", "treatment"), new Group(100, 10, 100, 1000, 0));
    g.put(new Key(C, "all", "all", "control"), new Group(100, 5, 50, 500, 0));

    assertThat(CampaignEffect.from(g, 1).get(0).roi()).isNaN();
  }
}
