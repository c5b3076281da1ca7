// Validate PDFs against veraPDF profiles: java Validate FLAVOUR[,FLAVOUR...] FILE.pdf ...
// Prints one line per file and profile, then one line per failed rule; exits 1 if any failed.
import java.io.FileInputStream;
import java.io.InputStream;
import java.util.Map;
import java.util.TreeMap;
import org.verapdf.gf.foundry.VeraGreenfieldFoundryProvider;
import org.verapdf.pdfa.Foundries;
import org.verapdf.pdfa.PDFAParser;
import org.verapdf.pdfa.PDFAValidator;
import org.verapdf.pdfa.flavours.PDFAFlavour;
import org.verapdf.pdfa.results.TestAssertion;
import org.verapdf.pdfa.results.ValidationResult;

public class Validate {
    public static void main(String[] args) throws Exception {
        VeraGreenfieldFoundryProvider.initialise();
        boolean failed = false;
        for (int i = 1; i < args.length; i++) {
            for (String name : args[0].split(",")) {
                PDFAFlavour flavour = PDFAFlavour.fromString(name);
                try (InputStream in = new FileInputStream(args[i]);
                     PDFAParser parser = Foundries.defaultInstance().createParser(in, flavour)) {
                    PDFAValidator validator = Foundries.defaultInstance().createValidator(flavour, false);
                    ValidationResult result = validator.validate(parser);
                    Map<String, Integer> rules = new TreeMap<>();
                    Map<String, String> says = new TreeMap<>();
                    for (TestAssertion a : result.getTestAssertions()) {
                        if (a.getStatus() != TestAssertion.Status.PASSED) {
                            String id = a.getRuleId().getClause() + "-" + a.getRuleId().getTestNumber();
                            rules.merge(id, 1, Integer::sum);
                            says.putIfAbsent(id, a.getMessage());
                        }
                    }
                    boolean ok = result.isCompliant() && rules.isEmpty();
                    failed |= !ok;
                    System.out.printf("%s %s %s: %d failed rules%n", ok ? "PASS" : "FAIL", name, args[i], rules.size());
                    for (Map.Entry<String, Integer> e : rules.entrySet()) {
                        System.out.printf("  %s (%d times): %s%n", e.getKey(), e.getValue(), says.get(e.getKey()));
                    }
                }
            }
        }
        System.exit(failed ? 1 : 0);
    }
}
