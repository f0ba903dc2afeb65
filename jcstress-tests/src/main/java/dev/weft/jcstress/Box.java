package dev.weft.jcstress;

/** A mutable holder with a plain (non-volatile, non-final) field, to test safe publication. */
final class Box {
    int value;
}
