package dev.weft.samples;

/**
 * One scenario of the {@link Tour}: it runs, logs what happens, and checks its own outcome.
 * A scenario whose outcome is not the one it promises throws (usually {@link Check.Failed}).
 */
public interface Scenario {

    /** A short title, printed in the tour's header line. */
    String title();

    /** The Go idiom the scenario mirrors, printed under the title. */
    String goIdiom();

    /**
     * Runs the scenario.
     *
     * @throws Exception if the scenario's outcome is wrong, or it could not run
     */
    void run() throws Exception;
}
