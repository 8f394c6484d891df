// OWL 2 DL profile check by the OWL API (Debian libowlapi-java), independent of ctkg's own checker.
// Run as a single-file program: java -cp <owlapi jars> ProfileCheck.java FILE.ttl [FILE.ttl ...]
// For each file prints "FILE <path>", one "VIOLATION ..." line per violation, "AXIOMS <n>" and
// "IN-PROFILE OWL 2 DL" or "NOT-IN-PROFILE OWL 2 DL"; exits 2 if a file cannot be parsed.
import java.io.File;
import org.semanticweb.owlapi.apibinding.OWLManager;
import org.semanticweb.owlapi.model.OWLOntology;
import org.semanticweb.owlapi.model.OWLOntologyManager;
import org.semanticweb.owlapi.profiles.OWL2DLProfile;
import org.semanticweb.owlapi.profiles.OWLProfileReport;
import org.semanticweb.owlapi.profiles.OWLProfileViolation;

public class ProfileCheck {
    public static void main(String[] args) {
        for (String path : args) {
            System.out.println("FILE " + path);
            OWLOntologyManager manager = OWLManager.createOWLOntologyManager();
            OWLOntology ontology;
            try {
                ontology = manager.loadOntologyFromOntologyDocument(new File(path));
            } catch (Exception e) {
                System.out.println("PARSE-ERROR " + e.getMessage());
                System.exit(2);
                return;
            }
            OWLProfileReport report = new OWL2DLProfile().checkOntology(ontology);
            for (OWLProfileViolation v : report.getViolations()) {
                System.out.println("VIOLATION " + v.getClass().getSimpleName() + ": " + v);
            }
            System.out.println("AXIOMS " + ontology.getAxiomCount());
            System.out.println(report.isInProfile() ? "IN-PROFILE OWL 2 DL" : "NOT-IN-PROFILE OWL 2 DL");
        }
    }
}
