"""The data-quality rule pack (《碳排放数据质量管理指南》 checks) and the data-quality control plan."""
