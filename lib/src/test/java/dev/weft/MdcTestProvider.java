package dev.weft;

import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.helpers.BasicMDCAdapter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The SLF4J provider of the lib tests (selected with {@code -Dslf4j.provider} in lib/pom.xml):
 * slf4j-simple's logging, but a working MDC. slf4j-simple itself ships a no-op MDC adapter, with
 * which "the MDC flows into forks" could not be tested at all.
 */
@SuppressWarnings("exports") // SLF4J types in the signatures: this class only lives in the test build
public final class MdcTestProvider implements SLF4JServiceProvider {
    private final SLF4JServiceProvider simple;
    private final MDCAdapter mdc = new BasicMDCAdapter();

    public MdcTestProvider() {
        try {
            simple = (SLF4JServiceProvider) Class.forName("org.slf4j.simple.SimpleServiceProvider")
                    .getConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("slf4j-simple must be on the test path", e);
        }
    }

    @Override
    public ILoggerFactory getLoggerFactory() {
        return simple.getLoggerFactory();
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return simple.getMarkerFactory();
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdc;
    }

    @Override
    public String getRequestedApiVersion() {
        return simple.getRequestedApiVersion();
    }

    @Override
    public void initialize() {
        simple.initialize();
    }
}
