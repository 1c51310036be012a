import dev.dnsgate.rules.match.BlockList;
import java.nio.file.Path;
public class BlTime {
  public static void main(String[] a) throws Exception {
    for (int i = 0; i < Integer.parseInt(a[1]); i++) {
      long t = System.nanoTime();
      BlockList l = BlockList.read(Path.of(a[0]));
      System.out.printf("%d ms, %d entries%n", (System.nanoTime() - t) / 1_000_000, l.entries());
    }
  }
}
