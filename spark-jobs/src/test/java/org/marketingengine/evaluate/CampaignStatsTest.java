package org.marketingengine.evaluate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class CampaignStatsTest {

  @Test
  void upliftIntervalAndPValueMatchAHandComputedExample() {
    // 120 of 1000 treated vs 100 of 1000 control convert.
    CampaignStats.Uplift u = CampaignStats.uplift(1000, 120, 1000, 100);
    assertThat(u.treatmentRate()).isCloseTo(0.12, within(1e-12));
    assertThat(u.controlRate()).isCloseTo(0.10, within(1e-12));
    assertThat(u.uplift()).isCloseTo(0.02, within(1e-12));
    // se = sqrt(.12 * .88 / 1000 + .1 * .9 / 1000) = 0.013986; 0.02 -+ 1.959964 se.
    assertThat(u.lower()).isCloseTo(-0.0074114820, within(1e-9));
    assertThat(u.upper()).isCloseTo(0.0474114820, within(1e-9));
    assertThat(u.relativeUplift()).isCloseTo(0.2, within(1e-12));
    // pooled p = .11, z = 0.02 / sqrt(.11 * .89 * 2 / 1000) = 1.4293.
    assertThat(u.pValue()).isCloseTo(0.1529177819, within(1e-7));
  }

  @Test
  void noDifferenceAndEmptyControl() {
    CampaignStats.Uplift same = CampaignStats.uplift(100, 0, 100, 0);
    assertThat(same.uplift()).isZero();
    assertThat(same.pValue()).isEqualTo(1.0);
    assertThat(CampaignStats.uplift(100, 10, 100, 0).relativeUplift()).isNaN();
  }

  @Test
  void welchIntervalMatchesAHandComputedExample() {
    // Treatment revenue per user 0, 0, 10, 20; control 0, 5, 5.
    CampaignStats.Welch w = CampaignStats.welch(4, 30, 500, 3, 10, 50);
    assertThat(w.meanT()).isCloseTo(7.5, within(1e-12));
    assertThat(w.meanC()).isCloseTo(10 / 3.0, within(1e-12));
    assertThat(w.difference()).isCloseTo(4.1666666667, within(1e-9));
    // se 5.068969, Welch df 3.690027, t(0.975) 2.870890.
    assertThat(w.lower()).isCloseTo(-10.3857847676, within(1e-6));
    assertThat(w.upper()).isCloseTo(18.7191181009, within(1e-6));
  }

  @Test
  void shrinkageMovesSmallGroupsTowardThePrior() {
    assertThat(CampaignStats.shrunk(10, 5, 0.1, 90)).isCloseTo((5 + 9) / 100.0, within(1e-12));
    assertThat(CampaignStats.shrunk(100_000, 50_000, 0.1, 90)).isCloseTo(0.5, within(0.001));
    assertThat(CampaignStats.shrunk(0, 0, 0.1, 0)).isEqualTo(0.1);
  }
}
