package dev.gpt2java.internal;

import dev.gpt2java.Gpt2;

/** Main class run in a child JVM by NativeLibraryLoadingTest: loads libgpt2 and reports how it went. */
public final class LoaderProbe {

    private LoaderProbe() {
    }

    public static void main(String[] args) {
        try {
            System.out.println("version " + Gpt2.apiVersion());
            System.out.println("from " + Gpt2.libraryLocation());
        } catch (UnsatisfiedLinkError first) {
            System.out.println("UnsatisfiedLinkError: " + first.getMessage());
            try {
                Gpt2.apiVersion();
            } catch (UnsatisfiedLinkError again) {
                System.out.println("second call: same error " + again.getMessage().equals(first.getMessage()));
            }
            System.exit(3);
        }
    }
}
