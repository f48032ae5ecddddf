/**
 * JMH benchmarks of mlvpn-java's per-packet costs, one class per component, each with a reference
 * measured in the same run on the same machine (the bare JDK cipher, {@code ArrayBlockingQueue},
 * {@code ArrayDeque}, a heap {@code ByteBuffer}, the round-robin scheduler with one link), so that
 * results are read as ratios rather than as absolute figures from another machine.
 *
 * <p>Run with {@code java -jar benchmarks/target/benchmarks.jar -prof gc}; see
 * {@code benchmarks/README.md} for what each figure means. {@link io.mlvpn.benchmarks.LoopbackPipeline}
 * and {@link io.mlvpn.benchmarks.PacketPump} build and drive a whole client/server tunnel pair in
 * one JVM for the pipeline benchmark and for the allocation test that guards it.
 *
 * <p>Parameters and results are non-null unless a method says otherwise.
 */
package io.mlvpn.benchmarks;
