package io.lmssync.source;

/**
 * A place in an account's {@link BudgetWindow}, held by one request from before it is sent until its answer arrived
 * (or the call failed); carried on the exchange between the gateway's {@code awaitTurn} and {@code answered}.
 */
public record BudgetPlace(String account, int place, String claim) {

    /** The exchange property that carries it. */
    public static final String PROPERTY = "lmsBudgetPlace";
}
