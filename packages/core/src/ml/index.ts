// Machine-learning pre- and post-processing (pure; the ONNX sessions live in the apps' ML worker).
export * from './clip-tokenizer.ts';
export * from './clip-text-clean.ts';
export * from './html-unescape.ts';
export * from './clip-preprocess.ts';
export * from './yunet.ts';
export * from './face-align.ts';
export * from './face-index.ts';
export * from './face-cluster.ts';
export * from './model-manifest.ts';
