package dev.dnsgate.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.dnsgate.listen.DnsListeners;
import dev.dnsgate.testing.DnsClient;
import dev.dnsgate.testing.DotUpstreamsResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * The dashboard in a real headless Chromium (the Debian chromium and chromium-driver packages; .ci/run
 * installs them when missing): live numbers after real DNS queries, the recent-queries search, the
 * pause switch letting a blocked name resolve, resume, explain, all through the token.
 */
@QuarkusTest
@QuarkusTestResource(DotUpstreamsResource.class)
@TestProfile(AdminProfile.class)
class DashboardBrowserTest {

  static final Path BROWSER = Path.of(System.getenv().getOrDefault("CHROME_BIN", "/usr/bin/chromium"));
  static final Path DRIVER = Path.of(System.getenv().getOrDefault("CHROMEDRIVER", "/usr/bin/chromedriver"));
  static final Duration WAIT = Duration.ofSeconds(10);

  @Inject DnsListeners listeners;

  @TestHTTPResource("/dashboard/?refresh=300")
  URL dashboard;

  ChromeDriver browser;
  WebDriverWait wait;

  @BeforeEach
  void openBrowser() {
    if (!Files.isExecutable(BROWSER) || !Files.isExecutable(DRIVER)) {
      String missing = "headless Chromium is missing (" + BROWSER + ", " + DRIVER
          + "): apt-get install chromium chromium-driver, or set CHROME_BIN and CHROMEDRIVER";
      if (System.getenv("CI") != null) {
        fail(missing + "; CI must run the dashboard test (.ci/run installs them)");
      }
      Assumptions.abort(missing);
    }
    DotUpstreamsResource.resetAll();
    ChromeOptions options = new ChromeOptions().setBinary(BROWSER.toFile())
        .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--window-size=1200,1500", "--no-first-run", "--disable-extensions");
    browser = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile()).build(), options);
    wait = new WebDriverWait(browser, WAIT, Duration.ofMillis(100));
    wait.ignoring(StaleElementReferenceException.class); // the page redraws every few hundred ms
  }

  @AfterEach
  void closeBrowser() {
    if (browser != null) {
      browser.quit();
    }
  }

  WebElement byId(String id) {
    return browser.findElement(By.id(id));
  }

  int rcode(String name) throws Exception {
    return new DnsClient(listeners.port()).udp(DnsClient.query(name, Type.A)).getRcode();
  }

  long total() {
    String text = byId("total").getText().trim();
    return text.matches("\\d+") ? Long.parseLong(text) : -1;
  }

  @Test
  void dashboardShowsLiveTrafficSearchesAndPausesBlocking() throws Exception {
    browser.get(dashboard.toString());
    wait.until(d -> byId("error").isDisplayed() && byId("error").getText().startsWith("401"));

    byId("token").sendKeys(AdminProfile.TOKEN);
    byId("token-save").click();
    wait.until(d -> total() >= 0 && !byId("error").isDisplayed());
    long before = total();

    rcode("browser-one.example.test.");
    rcode("browser-two.example.test.");
    assertEquals(Rcode.NXDOMAIN, rcode("ads.e2e.test."));
    wait.until(d -> total() >= before + 3);
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("top-blocked"), "ads.e2e.test"));
    assertTrue(!browser.findElements(By.cssSelector("#chart rect")).isEmpty(), "the chart has bars");

    byId("q-name").sendKeys("browser-");
    byId("q-go").click();
    wait.until(d -> rows().size() == 2 && rows().stream().allMatch(r -> r.contains("browser-")));

    byId("pause").click();
    wait.until(ExpectedConditions.textToBe(By.id("blocking-state"), "blocking: paused"));
    assertEquals(Rcode.NOERROR, rcode("ads.e2e.test."), "a blocked name resolves while paused");

    byId("explain-name").sendKeys("ads.e2e.test");
    byId("explain-go").click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("explain-out"), "blocking paused"));

    byId("resume").click();
    wait.until(ExpectedConditions.textToBe(By.id("blocking-state"), "blocking: on"));
    assertEquals(Rcode.NXDOMAIN, rcode("ads.e2e.test."), "blocked again once resumed");

    byId("q-name").clear();
    byId("q-name").sendKeys("ads.e2e");
    byId("q-go").click();
    // newest first: blocked again after resume, answered while paused (upstream, or a cache hit when an
    // earlier test of this app already forwarded it), blocked before the pause
    wait.until(d -> {
      List<String> rows = rows();
      return rows.size() >= 3 && rows.get(0).contains("NXDOMAIN") && rows.get(1).contains("NOERROR")
          && rows.get(2).contains("NXDOMAIN");
    });
    Path shot = browser.getScreenshotAs(OutputType.FILE).toPath();
    Files.copy(shot, Path.of("target", "dashboard.png"), StandardCopyOption.REPLACE_EXISTING);
  }

  /** Read in one script: the page redraws the table while we look, which stales element handles. */
  @SuppressWarnings("unchecked")
  private List<String> rows() {
    return (List<String>) browser.executeScript(
        "return Array.from(document.querySelectorAll('#queries tr')).map(r => r.innerText);");
  }
}
