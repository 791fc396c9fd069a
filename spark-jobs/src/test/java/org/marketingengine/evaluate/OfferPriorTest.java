package org.marketingengine.evaluate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;

class OfferPriorTest {

  /** An aggregated group row: campaign, dimension, value, group, users, conversions. */
  static Row group(String dimension, String value, String group, long n, long conversions) {
    return RowFactory.create("c1", dimension, value, group, n, conversions, 0.0, 0.0, 0.0);
  }

  static OfferPrior find(List<OfferPrior> priors, String offer, String segment) {
    return priors.stream()
        .filter(p -> p.offer().equals(offer) && p.segment().equals(segment))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void ratesAreShrunkTowardTheLevelAboveAndUpliftIsOverTheSegmentsControl() {
    double strength = 100;
    List<Row> rows =
        List.of(
            group("all", "all", "treatment", 1000, 100),
            group("all", "all", "control", 1000, 50),
            group("segment", "champions", "control", 100, 10),
            group("offer", "coupon", "treatment", 500, 75),
            group("offer_segment", "coupon|champions", "treatment", 20, 10),
            // Not a prior: segment rows of the treatment are covered by offer x segment.
            group("segment", "champions", "treatment", 400, 80));

    List<OfferPrior> priors = OfferPrior.from(rows, strength);

    assertThat(priors)
        .extracting(p -> p.offer() + "|" + p.segment())
        .containsExactly("none|all", "none|champions", "coupon|all", "coupon|champions");
    OfferPrior control = find(priors, OfferPrior.NONE, "all");
    assertThat(control.responseRate()).as("the overall control is not shrunk").isEqualTo(0.05);
    double championsControl = (10 + strength * 0.05) / (100 + strength);
    assertThat(find(priors, OfferPrior.NONE, "champions").responseRate())
        .isCloseTo(championsControl, within(1e-12));

    double coupon = (75 + strength * 0.10) / (500 + strength);
    OfferPrior couponAll = find(priors, "coupon", "all");
    assertThat(couponAll.observedRate()).isCloseTo(0.15, within(1e-12));
    assertThat(couponAll.responseRate()).isCloseTo(coupon, within(1e-12));
    assertThat(couponAll.uplift()).isCloseTo(coupon - 0.05, within(1e-12));

    OfferPrior couponChampions = find(priors, "coupon", "champions");
    double shrunk = (10 + strength * coupon) / (20 + strength);
    assertThat(couponChampions.observedRate()).isEqualTo(0.5);
    assertThat(couponChampions.responseRate()).isCloseTo(shrunk, within(1e-12));
    assertThat(couponChampions.uplift()).isCloseTo(shrunk - championsControl, within(1e-12));
    assertThat(couponChampions.treatmentContacts()).isEqualTo(20);
  }
}
