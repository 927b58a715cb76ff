# A sandbox template for scientific Python jobs: the libraries most jobs would otherwise pip install at
# every start (install time counts against the job's timeout). E2B builds Debian-based images only; this
# starts from E2B's own code-interpreter image, which has Python, pip and what E2B's sandboxes expect.
FROM e2bdev/code-interpreter:latest

# One layer, no pip cache: the image becomes the sandbox's disk. Upper bounds keep a rebuild from
# jumping a major version under running experiments; raise them deliberately.
RUN pip install --no-cache-dir --upgrade \
      "numpy>=2,<3" \
      "scipy>=1.13,<2" \
      "pandas>=2.2,<3" \
      "scikit-learn>=1.5,<2" \
      "matplotlib>=3.9,<4" \
 && python -c "import numpy, scipy, pandas, sklearn, matplotlib; print('scientific python ready')"

# matplotlib without a display: jobs write figures to files (results/*.png)
ENV MPLBACKEND=Agg
